"""Input forms of the registry pages. They check shape only; the services validate and write.

Length limits, identifier formats, duplicates and jurisdiction are the services' business,
so that the UI, the API and imports give the same answers.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yaojian.registry import selectors
from yaojian.registry.choices import EntityKind, EntityStatus, LicenceKind, LicenceStatus
from yaojian.registry.models import Entity, Licence
from yaojian.territory.models import GridCell

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntityForm(forms.Form):
    """Register a regulated entity, or (with ``instance``) change one."""

    name = forms.CharField(label=_("Name"), widget=forms.TextInput(attrs={"maxlength": 200}))
    kind = forms.ChoiceField(label=_("Kind"), choices=EntityKind.choices)
    region_code = forms.CharField(label=_("Region"), widget=forms.Select())
    unified_social_credit_code = forms.CharField(
        label=_("Unified social credit code"),
        required=False,
        help_text=_("18 characters; spaces and full-width characters are accepted."),
    )
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.TextInput(attrs={"maxlength": 255})
    )
    legal_representative = forms.CharField(
        label=_("Legal representative"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 64}),
    )
    grid_cell = forms.ModelChoiceField(
        label=_("Grid cell"),
        queryset=GridCell.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    parent = forms.ModelChoiceField(
        label=_("Headquarters"),
        queryset=Entity.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_("For a chain store: its chain headquarters."),
    )

    def __init__(self, *args: Any, user: Any, instance: Entity | None = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "kind": instance.kind,
                "status": instance.status,
                "region_code": instance.region_id,
                "unified_social_credit_code": instance.unified_social_credit_code or "",
                "address": instance.address,
                "legal_representative": instance.legal_representative,
                "grid_cell": instance.grid_cell.public_id if instance.grid_cell else None,
                "parent": instance.parent.public_id if instance.parent else None,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        permission = "registry.change_entity" if instance else "registry.add_entity"
        regions = selectors.region_choices(user, permission)
        if instance is not None and instance.region_id not in dict(regions):
            # e.g. a province-level entity: keep its region selectable
            regions.insert(0, (instance.region_id, instance.region.name))
        self.fields["region_code"].widget.choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *regions,
        ]
        grid_cells = GridCell.objects.visible_to(user).select_related("region").order_by("code")
        self.fields["grid_cell"].queryset = grid_cells  # type: ignore[attr-defined]
        headquarters = Entity.objects.visible_to(user).filter(kind=EntityKind.RETAIL_CHAIN_HQ)
        if instance is not None:
            headquarters = headquarters.exclude(pk=instance.pk)
        self.fields["parent"].queryset = headquarters.order_by("name")  # type: ignore[attr-defined]
        if instance is not None:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"), choices=EntityStatus.choices
            )
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the change"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned values as keyword arguments of ``create_entity``/``update_entity``."""
        values = dict(self.cleaned_data)
        values["unified_social_credit_code"] = values["unified_social_credit_code"] or None
        values.pop("reason", None)
        return values


class LicenceForm(forms.Form):
    """Record a licence of an entity."""

    kind = forms.ChoiceField(label=_("Kind"), choices=LicenceKind.choices)
    number = forms.CharField(label=_("Number"), widget=forms.TextInput(attrs={"maxlength": 64}))
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_INPUT)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE_INPUT)
    scope_of_business = forms.CharField(
        label=_("Scope"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LicenceTransitionForm(forms.Form):
    """Move a licence to another status, with the reason."""

    to_status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, licence: Licence, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [  # type: ignore[attr-defined]
            (status, LicenceStatus(status).label)
            for status in selectors.allowed_licence_transitions(licence)
        ]


class ExportForm(forms.Form):
    """The file encoding of an export (the filters come with the search form's fields)."""

    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=[("utf-8-sig", _("UTF-8")), ("gb18030", _("GB18030 (older Excel)"))],
        initial="utf-8-sig",
    )

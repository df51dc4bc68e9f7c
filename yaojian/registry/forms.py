"""Input forms of the registry pages. They check shape only; the services validate and write.

Length limits, identifier formats, duplicates and jurisdiction are the services' business,
so that the UI, the API and imports give the same answers.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yaojian.registry import selectors
from yaojian.registry.choices import (
    EntityKind,
    EntityStatus,
    EthnicMedicine,
    LicenceKind,
    LicenceStatus,
    PersonRole,
    ProductKind,
    ProductRelation,
    RiskClass,
)
from yaojian.registry.identifiers import normalise_identifier
from yaojian.registry.models import Entity, EntityPerson, Licence, Product
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
    renewal = forms.BooleanField(label=_("This is a renewal"), required=False)
    override_reason = forms.CharField(
        label=_("Reason for overriding a credit restriction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the decision is restricted: a department head's reason (audited)."),
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


class LicenceHolderChangeForm(forms.Form):
    """File a licence-holder change: the new holder by its credit code, with the reason."""

    credit_code = forms.CharField(
        label=_("Unified social credit code of the new holder"), max_length=32
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        label=_("Reason for overriding a credit restriction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the decision is restricted: a department head's reason (audited)."),
    )


class ExportForm(forms.Form):
    """The file encoding of an export (the filters come with the search form's fields)."""

    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=[("utf-8-sig", _("UTF-8")), ("gb18030", _("GB18030 (older Excel)"))],
        initial="utf-8-sig",
    )


# --- products ---------------------------------------------------------------------------

# Kinds of entity offered as a product's holder (上市许可持有人): those that hold approval
# numbers. The API accepts any entity the caller sees.
HOLDER_KINDS = (EntityKind.MANUFACTURER, EntityKind.TIBETAN_MEDICINE, EntityKind.HOSPITAL)
PRODUCT_TEXT_FIELDS = ("name", "generic_name", "approval_number", "dosage_form", "strength")


class EntityChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Entities offered by public id and labelled with their region."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.region.name})"


class ProductForm(forms.Form):
    """Add a drug, device or cosmetic to the reference list, or (with ``instance``) change one.

    The kind of an existing product cannot change, so the edit form has no kind field.
    """

    kind = forms.ChoiceField(label=_("Kind"), choices=ProductKind.choices)
    name = forms.CharField(label=_("Name"), widget=forms.TextInput(attrs={"maxlength": 200}))
    generic_name = forms.CharField(
        label=_("Generic name"), required=False, widget=forms.TextInput(attrs={"maxlength": 200})
    )
    approval_number = forms.CharField(
        label=_("Approval number"),
        widget=forms.TextInput(attrs={"maxlength": 64}),
        help_text=_(
            "For drugs the national approval number or the number of a hospital preparation; "
            "spaces and full-width characters are accepted."
        ),
    )
    dosage_form = forms.CharField(
        label=_("Dosage form"), required=False, widget=forms.TextInput(attrs={"maxlength": 64})
    )
    strength = forms.CharField(
        label=_("Strength"), required=False, widget=forms.TextInput(attrs={"maxlength": 64})
    )
    ethnic_medicine = forms.ChoiceField(
        label=_("Ethnic medicine"),
        choices=EthnicMedicine.choices,
        required=False,
        help_text=_("Mark Tibetan and other ethnic medicines explicitly."),
    )
    risk_class = forms.ChoiceField(
        label=_("Risk class"), choices=RiskClass.choices, initial=RiskClass.ORDINARY
    )
    holder = EntityChoiceField(
        label=_("Holder"),
        queryset=Entity.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_(
            "The marketing authorisation holder, if it is registered in your jurisdiction."
        ),
    )

    def __init__(self, *args: Any, user: Any, instance: Product | None = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{field: getattr(instance, field) for field in PRODUCT_TEXT_FIELDS},
                "ethnic_medicine": instance.ethnic_medicine,
                "risk_class": instance.risk_class,
                "holder": instance.holder.public_id if instance.holder else None,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        holders = Q(kind__in=HOLDER_KINDS, pk__in=Entity.objects.visible_to(user).values("pk"))
        if instance is not None:
            del self.fields["kind"]
            if instance.holder_id is not None:
                holders |= Q(pk=instance.holder_id)  # keep the current holder selectable
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the change"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["holder"].queryset = (  # type: ignore[attr-defined]
            Entity.objects.filter(holders).select_related("region").order_by("name", "id")
        )

    def service_arguments(self) -> dict[str, Any]:
        """Keyword arguments of ``create_product``, or the changed fields for ``update_product``.

        An edit passes only what the user changed, so an unchanged holder outside the user's
        jurisdiction or an unchanged legacy number is not validated again.
        """
        values = dict(self.cleaned_data)
        values.pop("reason", None)
        if self.instance is None:
            return values
        current = {
            **{field: getattr(self.instance, field) for field in PRODUCT_TEXT_FIELDS},
            "ethnic_medicine": self.instance.ethnic_medicine,
            "risk_class": self.instance.risk_class,
            "holder": self.instance.holder,
        }
        return {field: value for field, value in values.items() if value != current[field]}


# --- an entity's products and persons ------------------------------------------------------


class ProductLinkForm(forms.Form):
    """Link a product, found by kind and approval number, to an entity."""

    kind = forms.ChoiceField(
        label=_("Product kind"), choices=ProductKind.choices, initial=ProductKind.DRUG
    )
    approval_number = forms.CharField(
        label=_("Approval number"), widget=forms.TextInput(attrs={"maxlength": 64})
    )
    relation = forms.ChoiceField(label=_("Relation"), choices=ProductRelation.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        number = cleaned.get("approval_number")
        if cleaned.get("kind") and number:
            candidates = sorted({number.strip(), normalise_identifier(number)})
            product = (
                selectors.products_visible_to(self.user)
                .filter(kind=cleaned["kind"], approval_number__in=candidates)
                .first()
            )
            if product is None:
                self.add_error(
                    "approval_number",
                    ValidationError(
                        _(
                            "No product of this kind with the approval number %(number)s is "
                            "registered; add it to the product list first."
                        ),
                        code="unknown_product",
                        params={"number": normalise_identifier(number)},
                    ),
                )
            cleaned["product"] = product
        return cleaned


class PersonAddForm(forms.Form):
    """Register a person and give them a role at an entity, in one step.

    A person already registered in the user's jurisdiction under the same identity card
    number (and name) is linked instead of registered twice.
    """

    name = forms.CharField(label=_("Name"), widget=forms.TextInput(attrs={"maxlength": 64}))
    id_number = forms.CharField(
        label=_("Identity card number"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 32, "autocomplete": "off"}),
        help_text=_(
            "A person already registered in your jurisdiction with this number and name is "
            "linked instead; their record is not changed."
        ),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 32, "autocomplete": "off"}),
    )
    qualification = forms.CharField(
        label=_("Qualification"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 128}),
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 64}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices)
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DATE_INPUT)
    override_reason = forms.CharField(
        label=_("Reason for overriding a credit restriction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the decision is restricted: a department head's reason (audited)."),
    )


def _end_form_auto_id(link: EntityPerson) -> str:
    """Element ids unique per row: one end form is shown for every current role."""
    return f"id_end_%s_{link.person.public_id.hex[:8]}_{link.role}"


class PersonLinkEndForm(forms.Form):
    """End a person's current role at an entity (the person and role come hidden)."""

    person = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=PersonRole.choices, widget=forms.HiddenInput)
    ended_on = forms.DateField(
        label=_("Ended on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Today when left empty."),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, entity: Entity, link: EntityPerson | None = None, **kwargs: Any):
        if link is not None:
            kwargs.setdefault("initial", {"person": link.person.public_id, "role": link.role})
            kwargs.setdefault("auto_id", _end_form_auto_id(link))
        super().__init__(*args, **kwargs)
        self.entity = entity

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("person") and cleaned.get("role"):
            link = (
                EntityPerson.objects.filter(
                    entity=self.entity,
                    person__public_id=cleaned["person"],
                    role=cleaned["role"],
                    ended_on__isnull=True,
                )
                .select_related("person", "entity")
                .order_by("id")
                .first()
            )
            if link is None:
                # Hidden fields show no errors of their own: this one concerns the form.
                raise ValidationError(
                    _("This person no longer holds this role at the entity; reload the page."),
                    code="no_current_role",
                )
            cleaned["link"] = link
            self.auto_id = _end_form_auto_id(link)  # re-rendered in its row
        elif self.errors.keys() & {"person", "role"}:
            raise ValidationError(
                _("The role to end could not be identified; reload the page."),
                code="no_current_role",
            )
        return cleaned

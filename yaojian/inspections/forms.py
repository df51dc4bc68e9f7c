"""Forms of the inspections pages (validation of the fields; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.inspections import checklists
from yaojian.inspections.choices import (
    Answer,
    Conclusion,
    InspectionKind,
    PlanKind,
    Remit,
    Severity,
)
from yaojian.registry.choices import EntityKind, RiskClass

CREDIT_GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    inspection_kind = forms.ChoiceField(label=_("Inspection kind"), choices=InspectionKind.choices)
    items = forms.MultipleChoiceField(
        label=_("Items from the spot-check list"),
        choices=checklists.SPOT_CHECK_ITEMS,
        widget=forms.CheckboxSelectMultiple,
    )
    proportion = forms.DecimalField(
        label=_("Proportion (%)"), min_value=0, max_value=100, decimal_places=2, initial=3
    )
    inspectors_per_entity = forms.IntegerField(
        label=_("Inspectors per entity"), min_value=2, max_value=6, initial=2
    )
    exclude_cell_officers = forms.BooleanField(
        label=_("Exclude the officers responsible for the entity's cell"),
        required=False,
        initial=True,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Entity kinds (empty: all)"), choices=EntityKind.choices, required=False
    )
    risk_classes = forms.MultipleChoiceField(
        label=_("Product risk classes (empty: all)"), choices=RiskClass.choices, required=False
    )
    region = forms.CharField(label=_("Region code (empty: the whole jurisdiction)"), required=False)
    due_only = forms.BooleanField(label=_("Only entities due this year"), required=False)
    credit_grades = forms.MultipleChoiceField(
        label=_("Credit grades (empty: all; a targeted draw)"),
        choices=CREDIT_GRADES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    proportion_a = forms.DecimalField(
        label=_("Proportion for grade A (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the plan's proportion. Low risk: reduced, or 0."),
    )
    proportion_b = forms.DecimalField(
        label=_("Proportion for grade B (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the plan's proportion. Normal risk: the normal rate."),
    )
    proportion_c = forms.DecimalField(
        label=_("Proportion for grade C (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the plan's proportion. Higher risk: increased."),
    )
    proportion_d = forms.DecimalField(
        label=_("Proportion for grade D (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the plan's proportion. High risk: sharply increased."),
    )
    joint_departments = forms.ModelMultipleChoiceField(
        label=_("Joint departments"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args: Any, departments: Any, joint: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["joint_departments"].queryset = joint  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year

    GRADE_FIELDS = {
        "A": "proportion_a",
        "B": "proportion_b",
        "C": "proportion_c",
        "D": "proportion_d",
    }

    def scope(self) -> dict[str, Any]:
        """The plan's scope from the cleaned fields (what is empty is left out)."""
        data = self.cleaned_data
        scope = {
            key: data[key]
            for key in ("kinds", "risk_classes", "region", "due_only", "credit_grades")
            if data.get(key)
        }
        by_grade = {
            grade: str(data[field])
            for grade, field in self.GRADE_FIELDS.items()
            if data.get(field) is not None
        }
        if by_grade:
            scope["grade_proportions"] = by_grade
        return scope


class DrawForm(forms.Form):
    seed = forms.CharField(label=_("Seed (empty: a random one)"), max_length=64, required=False)


class RecordForm(forms.Form):
    """The on-site record: one radio group per checklist item, up to three findings."""

    inspected_on = forms.DateField(
        label=_("Inspected on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    conclusion = forms.ChoiceField(label=_("Inspection conclusion"), choices=Conclusion.choices)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    signed_by = forms.CharField(label=_("Signed for the entity by"), max_length=64, required=False)
    refused = forms.BooleanField(label=_("The entity refused to sign"), required=False)
    refusal_note = forms.CharField(
        label=_("How the refusal happened"), max_length=255, required=False
    )
    FINDINGS = 3

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = checklists.checklist(kind)
        self.fields["inspected_on"].initial = timezone.localdate()
        for item in self.items:
            self.fields[f"answer_{item.code}"] = forms.ChoiceField(
                label=f"{item.code} {item.text}",
                choices=Answer.choices,
                required=False,
                widget=forms.RadioSelect,
                help_text=item.clause,
            )
        for n in range(1, self.FINDINGS + 1):
            self.fields[f"finding{n}_severity"] = forms.ChoiceField(
                label=_("Finding %(n)s: severity") % {"n": n},
                choices=[("", "—"), *Severity.choices],
                required=False,
            )
            self.fields[f"finding{n}_clause"] = forms.CharField(
                label=_("Clause"), max_length=200, required=False
            )
            self.fields[f"finding{n}_description"] = forms.CharField(
                label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
            self.fields[f"finding{n}_remit"] = forms.ChoiceField(
                label=_("Remit"), choices=Remit.choices, required=False
            )

    def answers(self) -> dict[str, str]:
        return {
            item.code: self.cleaned_data.get(f"answer_{item.code}") or "" for item in self.items
        }

    def findings(self) -> list[dict[str, str]]:
        return [
            {
                key: self.cleaned_data.get(f"finding{n}_{key}") or ""
                for key in ("severity", "clause", "description", "remit")
            }
            for n in range(1, self.FINDINGS + 1)
        ]


class CellForm(forms.Form):
    cell = forms.ChoiceField(label=_("Grid cell"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, cells: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cell"].choices = [  # type: ignore[attr-defined]
            ("", _("No cell")),
            *[(str(c.public_id), str(c)) for c in cells],
        ]


class SampleForm(forms.Form):
    number = forms.CharField(label=_("Sample number"), max_length=32)
    entity = forms.UUIDField(label=_("Entity (public id)"))
    product_name = forms.CharField(label=_("Product"), max_length=200)
    risk_class = forms.ChoiceField(label=_("Product risk class"), choices=RiskClass.choices)
    batch_number = forms.CharField(label=_("Batch number"), max_length=64, required=False)
    sampled_on = forms.DateField(
        label=_("Sampled on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class ResultForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Passed")), ("0", _("Failed"))],
        coerce=lambda v: v == "1",
    )
    result_on = forms.DateField(
        label=_("Result on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    report_number = forms.CharField(
        label=_("Laboratory report number"), max_length=64, required=False
    )
    failed_items = forms.CharField(label=_("Failed items"), max_length=255, required=False)


class CapacityForm(forms.Form):
    inspectors = forms.IntegerField(label=_("Inspectors"), min_value=1, max_value=100000)
    year_hours = forms.IntegerField(
        label=_("On-site hours per inspector and year"), min_value=100, max_value=2000, initial=1000
    )
    proportions = forms.CharField(
        label=_("Draw proportions (%), separated by commas"), initial="3,5,10"
    )


class RiskSettingsForm(forms.Form):
    """A province's settings of the frequency engine and the draws: one whole number per
    :data:`configuration.SETTINGS` entry (bounds are checked by the service, with clear
    messages), and the reason for the change (audited)."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=255,
        widget=forms.TextInput(attrs={"data-testid": "settings-reason"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from yaojian.inspections import configuration

        super().__init__(*args, **kwargs)
        for setting in configuration.SETTINGS:
            hint = _("Default: %(value)s.") % {"value": setting.default}
            if not setting.verified:
                hint = "%s %s" % (  # noqa: UP031 (two translated sentences)
                    hint,
                    _("Not confirmed against the published rule: set it as the province decides."),
                )
            self.fields[setting.key] = forms.IntegerField(
                label=setting.label,
                help_text=hint,
                widget=forms.NumberInput(attrs={"data-testid": f"setting-{setting.key}"}),
            )
        self.order_fields([*(s.key for s in configuration.SETTINGS), "reason"])

    def values(self) -> dict[str, int]:
        """The settings entered, by flat key."""
        from yaojian.inspections import configuration

        return {s.key: self.cleaned_data[s.key] for s in configuration.SETTINGS}

    def groups(self) -> list[tuple[Any, list[Any]]]:
        """The bound fields by group, in the page's order."""
        from yaojian.inspections import configuration

        return [
            (label, [self[s.key] for s in configuration.SETTINGS if s.group == key])
            for key, label in configuration.GROUPS
        ]

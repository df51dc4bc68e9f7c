"""Forms of the notices pages: shape only; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.choices import DepartmentKind
from yaojian.notices.choices import PersonRole, TargetLevel
from yaojian.registry.choices import EntityKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 5, "data-testid": "answer-text"})
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class ProblemForm(forms.Form):
    department = forms.ChoiceField(label=_("Reporting department"))
    category = forms.ChoiceField(
        label=_("Problem category"), widget=forms.Select(attrs={"data-testid": "problem-category"})
    )
    entity = forms.UUIDField(label=_("Entity"), required=False, widget=forms.HiddenInput)
    # The entity picker's search box (not stored): it asks for matches as the user types.
    q = forms.CharField(
        label=_("Search by name or credit code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "data-testid": "entity-search",
                "hx-get": reverse_lazy("notices:entity_picker"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#entity-results",
                "hx-swap": "outerHTML",
                "hx-include": "this",
            }
        ),
    )
    region_code = forms.CharField(
        label=_("Region code"),
        required=False,
        max_length=12,
        help_text=_("Only when no entity is chosen; the department's region by default."),
    )
    found_on = forms.DateField(
        label=_("Found on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5, "data-testid": "problem-description"}),
    )
    attachments = MultipleFileField(label=_("Evidence"), required=False)


class PersonRowForm(forms.Form):
    """One row of personal data on the problem form (prefix ``person-<n>``); the service
    validates the values (identity card checksum, phone), this form only shows them."""

    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices, required=False)
    name = forms.CharField(label=_("Name"), max_length=64, required=False)
    id_number = forms.CharField(label=_("Identity card number"), max_length=18, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)


PERSON_ROWS = 3


def person_rows(data: Any) -> list[dict[str, str]]:
    """The personal-data rows of the problem form (empty rows are dropped)."""
    rows = []
    for index in range(PERSON_ROWS):
        row = {
            key: (data.get(f"person-{index}-{key}") or "").strip()
            for key in ("role", "name", "id_number", "phone")
        }
        if row["name"] or row["id_number"] or row["phone"]:
            rows.append(row)
    return rows


class RoutingRuleForm(forms.Form):
    category = forms.ChoiceField(label=_("Problem category"))
    entity_kind = forms.ChoiceField(
        label=_("Entity kind"),
        required=False,
        choices=[("", _("Any entity")), *EntityKind.choices],
    )
    target_kind = forms.ChoiceField(label=_("Department to notify"), choices=DepartmentKind.choices)
    target_level = forms.ChoiceField(label=_("Level"), choices=TargetLevel.choices)
    due_working_days = forms.IntegerField(
        label=_("Deadline (working days)"), min_value=1, max_value=60
    )
    expected_answer = forms.CharField(
        label=_("Answer expected"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

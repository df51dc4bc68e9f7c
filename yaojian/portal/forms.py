"""Forms of the portal: the public search, and the staff actions (shape only, no writes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.portal.choices import EarlyStopCondition
from yaojian.portal.models import Publication


class PenaltySearchForm(forms.Form):
    """The public search of penalty information."""

    party = forms.CharField(label=_("Party name"), required=False, max_length=100, strip=True)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        required=False,
        max_length=18,
        strip=True,
        widget=forms.TextInput(attrs={"data-testid": "search-credit-code"}),
    )
    region = forms.RegexField(
        label=_("Region code"),
        required=False,
        regex=r"^\d{2}(\d{2}){0,2}$",
        error_messages={"invalid": _("Enter a division code of 2, 4 or 6 digits.")},
        widget=forms.TextInput(
            attrs={"data-testid": "search-region", "inputmode": "numeric", "maxlength": 6}
        ),
    )
    year = forms.IntegerField(
        label=_("Year of decision"),
        required=False,
        min_value=2000,
        widget=forms.NumberInput(attrs={"data-testid": "search-year"}),
    )

    def clean_year(self) -> int | None:
        year: int | None = self.cleaned_data.get("year")
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("Choose a year that has begun."))
        return year

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "party": data.get("party") or "",
            "credit_code": data.get("credit_code") or "",
            "region": data.get("region") or "",
            "year": data.get("year"),
        }


class PenaltyQuickSearchForm(forms.Form):
    """The public home's search box: a party name, answered by the penalty list."""

    party = forms.CharField(
        label=_("Party name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "data-testid": "home-search-party",
                "placeholder": _("Name of the enterprise or person"),
            }
        ),
    )


class TraceCodeCheckForm(forms.Form):
    """The home page's box checking a pack's trace code (sent to traceability's public check)."""

    code = forms.CharField(
        label=_("Trace code on the pack"),
        max_length=120,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "inputmode": "numeric",
                "class": "form-control",
                "data-testid": "home-code-input",
            }
        ),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class EarlyStopForm(forms.Form):
    conditions = forms.MultipleChoiceField(
        label=_("Conditions of article 14 (all must hold)"),
        choices=EarlyStopCondition.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class TypicalCaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    publication: forms.ModelChoiceField[Publication] = forms.ModelChoiceField(
        label=_("Penalty publication"),
        queryset=Publication.objects.none(),
        required=False,
        to_field_name="public_id",
    )

    def __init__(self, *args: Any, publications: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["publication"]
        field.queryset = publications

"""Forms of the linkage app (shape only; the services validate and write)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yaojian.linkage.choices import ReviewState


class ReviewFilterForm(forms.Form):
    """Filters of the review queue."""

    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state")), *ReviewState.choices]
    )
    q = forms.CharField(label=_("Name"), required=False, max_length=100)


class RejectForm(forms.Form):
    """Reject a proposed link, with the reason."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "data-testid": "review-reason"}),
        max_length=2000,
    )


class LinkFilesForm(forms.Form):
    """Two lists to reconcile."""

    left = forms.FileField(label=_("First list (CSV or XLSX)"))
    right = forms.FileField(label=_("Second list (CSV or XLSX)"))
    name_column = forms.CharField(label=_("Name column"), required=False, max_length=64)
    address_column = forms.CharField(label=_("Address column"), required=False, max_length=64)

    def columns(self) -> dict[str, str]:
        columns = {}
        if self.cleaned_data.get("name_column"):
            columns["name"] = self.cleaned_data["name_column"]
        if self.cleaned_data.get("address_column"):
            columns["address"] = self.cleaned_data["address_column"]
        return columns

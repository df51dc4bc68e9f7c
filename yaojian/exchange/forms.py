"""Forms of the exchange app (shape only; services validate and write)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yaojian.exchange.choices import AlertStatus, source_kind_choices


class UploadForm(forms.Form):
    """Upload a file for one of my department's data sources."""

    kind = forms.ChoiceField(label=_("Data source"), choices=source_kind_choices)
    department: forms.ModelChoiceField[Any] = forms.ModelChoiceField(  # type: ignore[misc]
        label=_("Department"), queryset=None, required=False
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("XLSX or CSV (UTF-8, UTF-8 with BOM or GB18030/GBK), at most 50 MB."),
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        if departments.count() <= 1:
            self.fields["department"].widget = forms.HiddenInput()


class AlertTransitionForm(forms.Form):
    """Acknowledge or resolve an alert."""

    to_status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (AlertStatus.ACKNOWLEDGED, AlertStatus.ACKNOWLEDGED.label),
            (AlertStatus.RESOLVED, AlertStatus.RESOLVED.label),
        ],
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

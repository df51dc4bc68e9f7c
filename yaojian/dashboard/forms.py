"""Forms of the dashboard pages: the list export picker and the map's indicator."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yaojian.jobs.tables import ENCODINGS, FORMATS

ENCODING_LABELS = {"utf-8-sig": "UTF-8", "gb18030": "GB18030"}


class ExportForm(forms.Form):
    """Format and CSV encoding of a list export (``dashboard:export_list``)."""

    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[(value, value.upper()) for value in FORMATS],
        widget=forms.Select(attrs={"class": "form-select", "data-testid": "export-format"}),
    )
    encoding = forms.ChoiceField(
        label=_("Encoding (CSV)"),
        required=False,
        choices=[(value, ENCODING_LABELS.get(value, value)) for value in ENCODINGS],
        widget=forms.Select(attrs={"class": "form-select", "data-testid": "export-encoding"}),
    )

    def __init__(self, *args: Any, list_name: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"export-%s-{list_name}")
        super().__init__(*args, **kwargs)


class IndicatorForm(forms.Form):
    """The indicator colouring the map of the counties."""

    indicator = forms.ChoiceField(
        label=_("Indicator"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select", "data-testid": "indicator-select"}),
    )

    def __init__(self, *args: Any, indicators: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["indicator"])
        field.choices = [(f.key, f.title) for f in indicators]

"""Project-wide forms of the shell: the search boxes (rendered through form_field.html)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

SEARCH_MAX_LENGTH = 100


class SearchForm(forms.Form):
    """One search box (``q``): the global search page, the workbench's entity search."""

    q = forms.CharField(
        label=_("Name, credit code or licence number"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )

    def __init__(self, *args: Any, label: Any = None, testid: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["q"]
        if label is not None:
            field.label = label
        if testid:
            field.widget.attrs["data-testid"] = testid

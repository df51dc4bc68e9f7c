"""Filter forms of the traceability lists (shape only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yaojian.traceability.choices import AlertStatus, BatchStatus, CloseReason, Rule


class AlertFilterForm(forms.Form):
    q = forms.CharField(label=_("Institution USCC"), required=False, max_length=18)
    rule = forms.ChoiceField(
        label=_("Rule"), required=False, choices=[("", _("All")), *Rule.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *AlertStatus.choices]
    )


class BatchFilterForm(forms.Form):
    q = forms.CharField(label=_("Idempotency key"), required=False, max_length=64)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *BatchStatus.choices]
    )


class HubFilterForm(forms.Form):
    q = forms.CharField(label=_("Institution USCC"), required=False, max_length=18)
    rule = forms.ChoiceField(
        label=_("Rule"), required=False, choices=[("", _("All")), *Rule.choices]
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadForm(forms.Form):
    """The upload of trace-event files (the view reads every file of ``files``).

    The field is added in ``__init__``: a class attribute named ``files`` would shadow the
    form's own ``files`` (the uploaded files) for type checkers.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"] = forms.FileField(
            label=_("Trace-event files (Parquet, or CSV in UTF-8)"),
            help_text=_(
                "The files are saved and ingested as a background job: you can follow its "
                "progress and leave the page. Rows that fail a check are kept with their reasons."
            ),
            widget=MultipleFileInput(
                attrs={
                    "id": "trace-files",
                    "class": "form-control",
                    "accept": ".parquet,.csv",
                    "multiple": True,
                }
            ),
        )


class AlertActionForm(forms.Form):
    """A note and, to close, a reason code; the button pressed names the step."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "id": "note", "class": "form-control"}),
    )
    reason = forms.ChoiceField(
        label=_("Reason code (to close)"),
        required=False,
        choices=[("", ""), *CloseReason.choices],
        widget=forms.Select(attrs={"id": "reason", "class": "form-select"}),
    )


class CodeCheckForm(forms.Form):
    """The public check: a trace code as printed on the pack."""

    code = forms.CharField(
        label=_("Trace code on the pack"),
        required=False,
        max_length=120,
        help_text=_(
            "20 digits, or the GS1 code printed as (01)…(21)…. The product barcode (13 digits, "
            "starting 69) is not a trace code."
        ),
        widget=forms.TextInput(
            attrs={
                "id": "code",
                "class": "form-control",
                "inputmode": "numeric",
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": "81234567890123456789",
                "data-testid": "code-input",
            }
        ),
    )

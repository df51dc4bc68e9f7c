"""Filter forms of the traceability lists (shape only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yaojian.traceability.choices import AlertStatus, BatchStatus, Rule


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

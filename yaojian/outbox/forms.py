"""Forms of the outbox pages: shape only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yaojian.outbox.choices import MessageStatus


class MessageFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *MessageStatus.choices],
        widget=forms.Select(attrs={"data-testid": "handoff-status-filter"}),
    )

"""Forms of the webhooks pages: shape only; the services validate the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yaojian.webhooks.choices import DeliveryStatus
from yaojian.webhooks.events import ALL_EVENTS, KNOWN_EVENT_TYPES


def event_type_choices() -> list[tuple[str, Any]]:
    return [(ALL_EVENTS, _("All events (*)")), *((name, name) for name in KNOWN_EVENT_TYPES)]


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("The https address of your system that receives the events."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Event types"),
        choices=event_type_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *DeliveryStatus.choices],
        widget=forms.Select(attrs={"data-testid": "delivery-status-filter"}),
    )

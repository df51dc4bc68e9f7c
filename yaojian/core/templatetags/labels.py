"""``{% load labels %}{{ event.action|audit_action }}`` and ``{{ name|periodic_task }}``: codes in
words (``core.labels``)."""

from __future__ import annotations

from django import template

from yaojian.core.labels import AUDIT_ACTIONS, PERIODIC_TASKS, object_type_label

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    """The label of an audit action (the code when it has none)."""
    return AUDIT_ACTIONS.label(str(code))


@register.filter
def periodic_task(name: str) -> str:
    """The label of a periodic task (the name when it has none)."""
    return PERIODIC_TASKS.label(str(name))


@register.filter
def object_type(code: str) -> str:
    """An audit event's object type as the model's name."""
    return object_type_label(str(code))

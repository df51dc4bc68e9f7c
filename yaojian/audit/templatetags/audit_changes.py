"""``{% load audit_changes %}{% for field, value in event.changes|change_items %}``.

``event.changes.items`` in a template looks up the key ``items`` first: an event whose changes
name a field ``items`` (a measure's seized items, say) broke the audit pages with a 500.
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def change_items(changes: Any) -> list[tuple[str, Any]]:
    """The (field, value) pairs of an audit event's changes; [] for anything not a dict."""
    return list(changes.items()) if isinstance(changes, dict) else []

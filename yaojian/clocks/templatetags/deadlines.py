"""``{% load deadlines %}{{ due|provisional_mark }}``: the warning beside a deadline computed
with a provisional holiday schedule (a year whose official schedule is not yet published,
DOMAIN.md §5.1), the same words as the case clocks'.

A due date lies in the period it was computed over, so the date's own year tells: a deadline
reaching into a provisional year is provisional. Takes a date or an aware datetime (local day).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from yaojian.clocks.calendar import due_is_provisional

register = template.Library()


@register.filter
def provisional_mark(due: Any) -> SafeString | str:
    """The visible warning when ``due`` was computed with a provisional schedule, else ""."""
    if not due_is_provisional(due):
        return ""
    return format_html(
        ' <strong class="warning text-warning" data-testid="deadline-provisional">{}</strong>',
        gettext("(provisional: the official holiday schedule of this year is not yet published)"),
    )

"""Template helpers of enforcement: the clock badges of a list row, rendered in Python.

Lists show up to fifty rows with several clocks each; an ``{% include %}`` per row cost more
than every query of the page together (bench/cases_pages.py).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def clock_badges(rows: Any) -> SafeString:
    """``<span class="badge clock-<level>">kind → due date (warning)</span>`` for each row."""
    if not rows:
        return format_html('<span class="muted">—</span>')
    warnings = {
        "overdue": " " + gettext("overdue"),
        "due_soon": " " + gettext("due soon"),
        "paused": " " + gettext("paused"),
    }
    return format_html_join(
        " ",
        '<span class="badge clock-{0}" data-testid="clock" data-level="{0}" title="{1}">'
        "{1} → {2}{3}</span>",
        (
            (
                row.status.level,
                row.clock.get_kind_display(),
                row.clock.due_on.isoformat(),
                warnings.get(row.status.level, ""),
            )
            for row in rows
        ),
    )

"""System check: is next year's holiday calendar in place?

From 1 December on, a missing next year is a Warning (deadlines set in December reach into
January). Before that, a missing next year is only Info, so ``manage.py check
--fail-level WARNING`` in CI does not fail during the year.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Info, Warning, register
from django.db import DatabaseError
from django.utils import timezone


@register()
def check_calendar_covers_next_year(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Info/Warning when the calendar does not cover the year after the current one."""
    from yaojian.clocks.models import CalendarYear

    today = timezone.localdate()
    next_year = today.year + 1
    try:
        covered = CalendarYear.objects.filter(year=next_year).exists()
    except DatabaseError:  # no table yet (before migrate): nothing to say
        return []
    if covered:
        return []
    hint = (
        "Add the State Council's arrangement for that year on /clocks/ (or import its CSV), "
        "or run `manage.py load_calendar` after updating the vendored data."
    )
    message = f"The holiday calendar does not cover {next_year}."
    if today.month == 12:
        return [Warning(message, hint=hint, id="clocks.W001")]
    return [Info(message, hint=hint, id="clocks.I001")]

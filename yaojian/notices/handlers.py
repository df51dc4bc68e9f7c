"""Events other apps publish that notices act on."""

from __future__ import annotations

from yaojian.clocks.events import CalendarChanged
from yaojian.core.events import subscribe


def on_calendar_changed(event: CalendarChanged) -> None:
    """A year's holiday schedule was loaded or changed: notice due dates follow."""
    from yaojian.clocks.calendar import forget_calendar
    from yaojian.notices.services.deadlines import recompute_due_dates

    forget_calendar()
    recompute_due_dates(event.years)


def connect() -> None:
    subscribe(CalendarChanged, on_calendar_changed)

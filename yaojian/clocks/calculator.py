"""The due-date calculator: start + N working days (or calendar days rolled forward),
with the days that were skipped and why — what an officer checks a deadline against.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from yaojian.clocks.calendar import get_calendar
from yaojian.clocks.models import CalendarDay, DayKind

MAX_DAYS = 1000
WORKING = "working"
CALENDAR = "calendar"


@dataclass(frozen=True)
class SkippedDay:
    """A day that did not count, with the reason (holiday name or weekend)."""

    date: dt.date
    reason: str


@dataclass(frozen=True)
class DueDate:
    """The answer of the calculator."""

    start: dt.date
    days: int
    mode: str
    due: dt.date
    skipped: tuple[SkippedDay, ...]


def _reasons(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    return {
        date: name or _("Holiday")
        for date, name in CalendarDay.objects.filter(
            date__gt=start, date__lte=end, kind=DayKind.HOLIDAY
        ).values_list("date", "name")
    }


def compute_due_date(start: dt.date, days: int, *, mode: str = WORKING) -> DueDate:
    """Raise ``ValueError`` for a bad count or mode, ``CalendarNotCoveredError`` past the
    calendar's years."""
    if not 0 <= days <= MAX_DAYS:
        raise ValueError(_("Enter a number of days from 0 to %(max)s.") % {"max": MAX_DAYS})
    calendar = get_calendar()
    if mode == WORKING:
        due = calendar.add_working_days(start, days)
    elif mode == CALENDAR:
        due = calendar.add_days(start, days, roll_forward=True)
    else:
        raise ValueError(_("Choose working days or calendar days."))
    # Working days: every day after the start may be skipped. Calendar days: only the days
    # rolled over from the last day (start + days) to the next working day.
    first = start if mode == WORKING else start + dt.timedelta(days=days - 1)
    reasons = _reasons(first, due)
    skipped = []
    day = first
    while day < due:
        day += dt.timedelta(days=1)
        if not calendar.is_working_day(day):
            skipped.append(SkippedDay(date=day, reason=reasons.get(day, _("Weekend"))))
    return DueDate(start=start, days=days, mode=mode, due=due, skipped=tuple(skipped))

"""Working-day arithmetic over the holiday calendar (DOMAIN.md §2.1 第80条, §5.1).

Rules:

* The start day is excluded: ``add_working_days(d, 1)`` is the first working day after ``d``.
* A period counted in calendar days (日) whose last day is not a working day ends on the next
  working day (``roll_forward``).
* A date in a year the calendar does not cover raises :class:`CalendarNotCoveredError`: clocks never
  guess (the State Council publishes each year's arrangement around November).

The calendar is read once per process and cached; :func:`forget_calendar` drops the cache
(the services that change days call it, and other processes re-read it within
``CACHE_SECONDS``).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

CACHE_SECONDS = 60.0


class CalendarNotCoveredError(LookupError):
    """A date lies in a year the holiday calendar does not cover yet."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _(
                "The holiday calendar does not cover %(year)s yet: an administrator must add "
                "that year's holidays and make-up working days."
            )
            % {"year": year}
        )


@dataclass(frozen=True)
class Calendar:
    """An immutable snapshot of the calendar: covered years, holidays, make-up working days."""

    years: frozenset[int]
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    provisional: frozenset[int] = frozenset()  # covered years whose schedule is provisional

    def is_provisional(self, start: dt.date, end: dt.date) -> bool:
        """True when a provisional year lies in [start, end] (either order)."""
        low, high = sorted((start.year, end.year))
        return any(low <= year <= high for year in self.provisional)

    def covers(self, day: dt.date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: dt.date) -> bool:
        if day.year not in self.years:
            raise CalendarNotCoveredError(day.year)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (start excluded; ``days`` ≥ 0)."""
        if days < 0:
            raise ValueError("days must be >= 0")
        day = start
        remaining = days
        while remaining:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def subtract_working_days(self, end: dt.date, days: int) -> dt.date:
        """The latest date ``d`` with ``days`` working days in (d, end] (``days`` ≥ 0)."""
        if days < 0:
            raise ValueError("days must be >= 0")
        day = end
        remaining = days
        while remaining:
            if self.is_working_day(day):
                remaining -= 1
            day -= dt.timedelta(days=1)
        return day

    def add_days(self, start: dt.date, days: int, *, roll_forward: bool = True) -> dt.date:
        """``start`` + ``days`` calendar days; a last day off moves to the next working day."""
        end = start + dt.timedelta(days=days)
        return self.next_working_day(end) if roll_forward else end

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many have been used; negative if end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


_lock = threading.Lock()
_cached: tuple[float, Calendar] | None = None


def load_calendar() -> Calendar:
    """Read the calendar from the database (uncached)."""
    from yaojian.clocks.models import CalendarDay, CalendarYear, DayKind, YearStatus

    rows = list(CalendarYear.objects.values_list("year", "status"))
    years = frozenset(year for year, _status in rows)
    provisional = frozenset(year for year, status in rows if status == YearStatus.PROVISIONAL)
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (workdays if kind == DayKind.WORKDAY else holidays).add(day)
    return Calendar(
        years=years,
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        provisional=provisional,
    )


def get_calendar() -> Calendar:
    """The cached calendar (re-read after ``CACHE_SECONDS`` or :func:`forget_calendar`)."""
    global _cached
    with _lock:
        now = time.monotonic()
        if _cached is None or now - _cached[0] > CACHE_SECONDS:
            _cached = (now, load_calendar())
        return _cached[1]


def forget_calendar() -> None:
    """Drop the cached calendar (after a change, and between tests)."""
    global _cached
    with _lock:
        _cached = None


def is_provisional(start: dt.date, end: dt.date) -> bool:
    """True when a deadline from ``start`` to ``end`` uses a provisional year's schedule."""
    return get_calendar().is_provisional(start, end)


def due_is_provisional(due: object) -> bool:
    """True when a deadline ``due`` (a date, or a datetime taken on its local day) falls in a
    provisional year: a due date lies in the period it was computed over, so its own year tells
    (the pages' warning and the APIs' ``provisional`` flags both ask this)."""
    from django.utils import timezone

    if isinstance(due, dt.datetime):
        due = timezone.localtime(due).date() if timezone.is_aware(due) else due.date()
    if not isinstance(due, dt.date):
        return False
    return is_provisional(due, due)


def is_working_day(day: dt.date) -> bool:
    return get_calendar().is_working_day(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    return get_calendar().add_working_days(start, days)


def subtract_working_days(end: dt.date, days: int) -> dt.date:
    return get_calendar().subtract_working_days(end, days)


def add_days(start: dt.date, days: int, *, roll_forward: bool = True) -> dt.date:
    return get_calendar().add_days(start, days, roll_forward=roll_forward)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return get_calendar().working_days_between(start, end)

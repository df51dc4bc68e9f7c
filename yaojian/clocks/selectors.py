"""Reads of the clocks app: the year list and a year laid out month by month.

The calendar is public within the platform: every signed-in user may read it.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass

from yaojian.clocks.models import CalendarDay, CalendarYear, DayKind


@dataclass(frozen=True)
class YearRow:
    """A covered year with how many holidays and make-up working days it lists."""

    year: CalendarYear
    holidays: int
    workdays: int


def years_overview() -> list[YearRow]:
    """Every covered year with its counts (two queries)."""
    counts: Counter[tuple[int, str]] = Counter(
        (date.year, kind) for date, kind in CalendarDay.objects.values_list("date", "kind")
    )
    return [
        YearRow(
            year=row,
            holidays=counts[(row.year, DayKind.HOLIDAY)],
            workdays=counts[(row.year, DayKind.WORKDAY)],
        )
        for row in CalendarYear.objects.order_by("-year")
    ]


def get_calendar_year(year: int) -> CalendarYear:
    """One covered year (``DoesNotExist`` → 404)."""
    return CalendarYear.objects.get(year=year)


def days_of_year(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))


@dataclass(frozen=True)
class Cell:
    """One square of a month grid."""

    date: dt.date
    in_month: bool
    kind: str  # "holiday", "workday" (make-up), "weekend" or "" (ordinary working day)
    name: str


@dataclass(frozen=True)
class Month:
    number: int
    weeks: list[list[Cell]]


def year_months(year: int) -> list[Month]:
    """The twelve months of ``year`` as week rows (Monday first), days marked."""
    listed = {day.date: day for day in CalendarDay.objects.filter(date__year=year)}
    grid = stdlib_calendar.Calendar(firstweekday=0)
    months = []
    for number in range(1, 13):
        weeks = []
        for week in grid.monthdatescalendar(year, number):
            cells = []
            for date in week:
                day = listed.get(date)
                if day is not None:
                    kind, name = day.kind, day.name
                elif date.weekday() >= 5:
                    kind, name = "weekend", ""
                else:
                    kind, name = "", ""
                cells.append(Cell(date=date, in_month=date.month == number, kind=kind, name=name))
            weeks.append(cells)
        months.append(Month(number=number, weeks=weeks))
    return months


def get_calendar_day(date: dt.date) -> CalendarDay:
    """One listed day (``DoesNotExist`` → 404)."""
    return CalendarDay.objects.get(date=date)

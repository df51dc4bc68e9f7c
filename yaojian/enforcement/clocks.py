"""Clock arithmetic over the holiday calendar (第80条): due dates, pauses, warnings.

* The start day is excluded; a period in working days counts working days
  (``add_working_days``); a period in calendar days (日) ending on a day off moves to the next
  working day (``add_days`` with roll-forward).
* A pause excludes the days in (paused on, resumed on] — working days for a working-day
  clock, calendar days otherwise; an open pause counts up to ``today``.
* Approved extensions add their length to the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from yaojian.clocks import calendar
from yaojian.enforcement import clock_rules
from yaojian.enforcement.choices import ClockState, ClockUnit, ExtensionState


def excluded_days(unit: str, start: dt.date, end: dt.date) -> int:
    """Days of (start, end] that do not count, in the clock's unit."""
    if end <= start:
        return 0
    if unit == ClockUnit.WORKING_DAYS:
        return calendar.working_days_between(start, end)
    return (end - start).days


def due_date(
    *,
    unit: str,
    started_on: dt.date,
    period: int,
    extension_days: int = 0,
    pauses: list[tuple[dt.date, dt.date | None]] | None = None,
    today: dt.date,
) -> dt.date:
    """The last day of a period, after extensions and excluded (paused) time."""
    total = period + extension_days
    for paused_on, resumed_on in pauses or []:
        total += excluded_days(unit, paused_on, resumed_on or max(today, paused_on))
    if unit == ClockUnit.WORKING_DAYS:
        return calendar.add_working_days(started_on, total)
    return calendar.add_days(started_on, total, roll_forward=True)


def compute_due_on(clock: Any, today: dt.date) -> dt.date:
    """A clock's due date from its rows (pauses and approved extensions)."""
    extension_days = sum(
        e.days for e in clock.extensions.all() if e.state == ExtensionState.APPROVED
    )
    pauses = [(p.started_on, p.ended_on) for p in clock.pauses.all()]
    return due_date(
        unit=clock.unit,
        started_on=clock.started_on,
        period=clock.period,
        extension_days=extension_days,
        pauses=pauses,
        today=today,
    )


@dataclass(frozen=True)
class ClockStatus:
    """How urgent a clock is on a given day."""

    level: str  # "overdue" | "due_soon" | "ok" | "paused" | "stopped"
    working_days_left: int | None


#: Levels from the most to the least urgent (lists sort by it).
LEVEL_ORDER = {"overdue": 0, "due_soon": 1, "ok": 2, "paused": 3, "stopped": 4}


def due_soon_before(today: dt.date) -> dt.date:
    """The first day that is no longer "due soon": a clock due before it has ``due_soon_wd``
    working days or fewer left. Beyond the calendar's years, ``due_soon_wd`` calendar days."""
    soon = int(clock_rules.value("due_soon_wd"))
    try:
        return calendar.add_working_days(today, soon + 1)
    except calendar.CalendarNotCoveredError:
        return today + dt.timedelta(days=soon + 1)


def clock_level(state: str, due_on: dt.date, today: dt.date, soon_before: dt.date) -> str:
    """The one computation of a clock's level: stopped, paused, overdue, due soon or ok.

    ``soon_before`` comes from :func:`due_soon_before` (computed once for a page of clocks).
    """
    if state == ClockState.STOPPED:
        return "stopped"
    if state == ClockState.PAUSED:
        return "paused"
    if due_on < today:
        return "overdue"
    return "due_soon" if due_on < soon_before else "ok"


def status_of(clock: Any, today: dt.date) -> ClockStatus:
    """Overdue, due soon (``due_soon_wd`` working days or fewer left), fine, paused or stopped."""
    level = clock_level(clock.state, clock.due_on, today, due_soon_before(today))
    if level == "stopped":
        return ClockStatus(level, None)
    try:
        left = calendar.working_days_between(today, clock.due_on)
    except calendar.CalendarNotCoveredError:
        left = (clock.due_on - today).days
    return ClockStatus(level, left)


def late_fee(fine: Any, due_on: dt.date, paid_on: dt.date) -> Any:
    """3 % of the fine per day late (calendar days after ``due_on``), capped at the fine."""
    from decimal import ROUND_HALF_UP, Decimal

    days = max(0, (paid_on - due_on).days)
    fee = (Decimal(fine) * clock_rules.late_fee_rate() * days).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return min(fee, Decimal(fine))

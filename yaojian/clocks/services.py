"""Writes of the clocks app: maintain the holiday calendar (administrators only, audited).

Rules (DOMAIN.md §5.1): a day's year must be in the calendar; a make-up working day (调休上班)
is always a Saturday or Sunday; a holiday may fall on a weekend (it is then listed for its
name only). Every change drops the cached calendar (:func:`forget_calendar`); other
processes re-read it within ``calendar.CACHE_SECONDS``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yaojian.accounts.scoping import has_permission
from yaojian.audit.services import record
from yaojian.clocks.calendar import forget_calendar
from yaojian.clocks.events import CalendarChanged
from yaojian.clocks.models import CalendarDay, CalendarYear, DayKind, YearStatus
from yaojian.clocks.permissions import CHANGE_CALENDAR
from yaojian.core.events import publish

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_CSV_ROWS = 400


def _require(actor: Any) -> None:
    if not has_permission(actor, CHANGE_CALENDAR):
        raise PermissionDenied(_("Only administrators may change the holiday calendar."))


def _clean_year(year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise ValidationError(
            {
                "year": _("Enter a year between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )
    return value


def _clean_status(status: Any) -> str:
    if status not in YearStatus.values:
        raise ValidationError({"status": _("Choose official or provisional.")})
    return str(status)


def _check_day(date: dt.date, kind: str, name: str, years: set[int]) -> dict[str, str]:
    """Problems with one day, per field (empty when it is fine)."""
    errors: dict[str, str] = {}
    if kind not in DayKind.values:
        errors["kind"] = _("Choose holiday or make-up working day.")
    elif kind == DayKind.WORKDAY and date.weekday() < 5:
        errors["kind"] = _(
            "%(date)s is a weekday: a make-up working day must be a Saturday or a Sunday."
        ) % {"date": date.isoformat()}
    if date.year not in years:
        errors["date"] = _("The calendar has no year %(year)s: add the year before its days.") % {
            "year": date.year
        }
    if len(name) > 100:
        errors["name"] = _("Keep the name under 100 characters.")
    return errors


def _years() -> set[int]:
    return set(CalendarYear.objects.values_list("year", flat=True))


def _day_snapshot(day: CalendarDay) -> dict[str, Any]:
    return {"date": day.date.isoformat(), "kind": day.kind, "name": day.name}


@transaction.atomic
def add_calendar_year(
    *, actor: Any, year: int, status: str = YearStatus.OFFICIAL, source: str = ""
) -> CalendarYear:
    """Add a year to the calendar (then add its days, or import them from CSV)."""
    _require(actor)
    value = _clean_year(year)
    status = _clean_status(status)
    source = " ".join((source or "").split())[:300]
    if CalendarYear.objects.filter(year=value).exists():
        raise ValidationError({"year": _("The calendar already has %(year)s.") % {"year": value}})
    row = CalendarYear.objects.create(year=value, status=status, source=source)
    record(
        actor=actor,
        action="clocks.calendar_year_added",
        obj=row,
        changes={"status": [None, status], "source": [None, source]},
    )
    forget_calendar()
    publish(CalendarChanged(years=(value,)))
    return row


@transaction.atomic
def update_calendar_year(
    *, actor: Any, year: CalendarYear, status: str, source: str
) -> CalendarYear:
    """Change a year's status (e.g. provisional → official) and source."""
    _require(actor)
    status = _clean_status(status)
    source = " ".join((source or "").split())[:300]
    locked = CalendarYear.objects.select_for_update(no_key=True).get(pk=year.pk)
    changes = {
        field: [getattr(locked, field), value]
        for field, value in (("status", status), ("source", source))
        if getattr(locked, field) != value
    }
    if changes:
        locked.status, locked.source = status, source
        locked.save(update_fields=["status", "source", "updated_at"])
        record(actor=actor, action="clocks.calendar_year_changed", obj=locked, changes=changes)
        forget_calendar()
        publish(CalendarChanged(years=(locked.year,)))
    return locked


@transaction.atomic
def add_calendar_day(*, actor: Any, date: dt.date, kind: str, name: str = "") -> CalendarDay:
    """List a holiday or a make-up working day (validated as in the module docstring)."""
    _require(actor)
    name = " ".join((name or "").split())
    errors = _check_day(date, kind, name, _years())
    if not errors and CalendarDay.objects.filter(date=date).exists():
        errors["date"] = _("%(date)s is already in the calendar: change or remove it.") % {
            "date": date.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    day = CalendarDay.objects.create(date=date, kind=kind, name=name)
    record(
        actor=actor,
        action="clocks.calendar_day_added",
        obj=day,
        changes={k: [None, v] for k, v in _day_snapshot(day).items()},
    )
    forget_calendar()
    publish(CalendarChanged(years=(date.year,)))
    return day


@transaction.atomic
def update_calendar_day(*, actor: Any, day: CalendarDay, kind: str, name: str = "") -> CalendarDay:
    """Change a listed day's kind or name."""
    _require(actor)
    locked = CalendarDay.objects.select_for_update(no_key=True).get(pk=day.pk)
    name = " ".join((name or "").split())
    errors = _check_day(locked.date, kind, name, _years())
    if errors:
        raise ValidationError(errors)
    before = _day_snapshot(locked)
    locked.kind, locked.name = kind, name
    after = _day_snapshot(locked)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        locked.save(update_fields=["kind", "name", "updated_at"])
        record(actor=actor, action="clocks.calendar_day_changed", obj=locked, changes=changes)
        forget_calendar()
        publish(CalendarChanged(years=(locked.date.year,)))
    return locked


@transaction.atomic
def delete_calendar_day(*, actor: Any, day: CalendarDay) -> None:
    """Remove a listed day: it falls back to the Monday–Friday rule."""
    _require(actor)
    locked = CalendarDay.objects.select_for_update().filter(pk=day.pk).first()
    if locked is None:
        raise CalendarDay.DoesNotExist
    snapshot = _day_snapshot(locked)
    record(
        actor=actor,
        action="clocks.calendar_day_removed",
        object_type="clocks.calendarday",
        object_id=snapshot["date"],
        object_repr=str(locked),
        changes={k: [v, None] for k, v in snapshot.items()},
    )
    year = locked.date.year
    locked.delete()
    forget_calendar()
    publish(CalendarChanged(years=(year,)))


def parse_calendar_csv(text: str) -> tuple[list[tuple[dt.date, str, str]], list[str]]:
    """Rows ``date,kind,name`` (header optional) → (days, problems by line)."""
    days: list[tuple[dt.date, str, str]] = []
    problems: list[str] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    for number, row in enumerate(reader, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() == "date":
            continue
        if len(cells) < 2:
            problems.append(_("Line %(line)s: expected date,kind,name.") % {"line": number})
            continue
        try:
            date = dt.date.fromisoformat(cells[0])
        except ValueError:
            problems.append(
                _("Line %(line)s: %(value)s is not a date (YYYY-MM-DD).")
                % {"line": number, "value": cells[0][:20]}
            )
            continue
        days.append((date, cells[1].lower(), cells[2] if len(cells) > 2 else ""))
    if len(days) > MAX_CSV_ROWS:
        problems.append(_("A year has at most %(max)s listed days.") % {"max": MAX_CSV_ROWS})
    return days, problems


@transaction.atomic
def import_calendar_year(
    *, actor: Any, year: int, text: str, status: str = YearStatus.OFFICIAL, source: str = ""
) -> CalendarYear:
    """Import a year's days from CSV (``date,kind,name``), replacing the year's listed days.

    The year is added when missing (or its status and source updated). Every row must be a
    day of that year and pass the day rules; any problem rejects the whole file, listing
    each bad line, and nothing is written.
    """
    _require(actor)
    value = _clean_year(year)
    status = _clean_status(status)
    source = " ".join((source or "").split())[:300]
    days, problems = parse_calendar_csv(text)
    seen: set[dt.date] = set()
    for date, kind, name in days:
        if date.year != value:
            problems.append(
                _("%(date)s is not in %(year)s.") % {"date": date.isoformat(), "year": value}
            )
            continue
        if date in seen:
            problems.append(_("%(date)s is listed twice.") % {"date": date.isoformat()})
        seen.add(date)
        problems.extend(_check_day(date, kind, " ".join(name.split()), {value}).values())
    if not days and not problems:
        problems.append(_("The file lists no days."))
    if problems:
        raise ValidationError({"file": problems})
    row, created = CalendarYear.objects.update_or_create(
        year=value, defaults={"status": status, "source": source}
    )
    removed, _unused = CalendarDay.objects.filter(date__year=value).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=date, kind=kind, name=" ".join(name.split())) for date, kind, name in days
    )
    record(
        actor=actor,
        action="clocks.calendar_year_imported",
        obj=row,
        changes={
            "status": [None, status],
            "source": [None, source],
            "days": [removed, len(days)],
            "year_created": [None, created],
        },
    )
    forget_calendar()
    publish(CalendarChanged(years=(value,)))
    return row

"""The vendored holiday calendar (data/*.csv): China's official arrangements, 2025–2027.

2025 and 2026 follow the State Council notices; 2027 is provisional (the statutory days of
the 2024 revision of 全国年节及纪念日放假办法, without make-up days) until its notice is out.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def reference_years() -> list[dict[str, str]]:
    with (DATA / "holidays.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def reference_days() -> list[tuple[dt.date, str, str]]:
    with (DATA / "days.csv").open(encoding="utf-8") as handle:
        return [
            (dt.date.fromisoformat(row["date"]), row["kind"], row["name"])
            for row in csv.DictReader(handle)
        ]


def load_reference_calendar() -> int:
    """Insert the vendored years and days that are missing (never overwrites an edit)."""
    from yaojian.clocks.calendar import forget_calendar
    from yaojian.clocks.models import CalendarDay, CalendarYear

    added = 0
    for row in reference_years():
        _, created = CalendarYear.objects.get_or_create(
            year=int(row["year"]), defaults={"status": row["status"], "source": row["source"]}
        )
        added += created
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    new = [
        CalendarDay(date=day, kind=kind, name=name)
        for day, kind, name in reference_days()
        if day not in existing
    ]
    CalendarDay.objects.bulk_create(new)
    forget_calendar()
    return added + len(new)

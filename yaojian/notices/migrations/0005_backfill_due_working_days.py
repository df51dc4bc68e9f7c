"""Notices sent before ``due_working_days`` was stored (0003) get it, derived from the day each
was sent and its due date with the holiday calendar of today, so that a later change of a
year's schedule moves their due dates too (issue 9). A period the calendar does not cover is
left empty (its due date stays as it is)."""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def _calendar(apps):
    from yaojian.clocks.calendar import Calendar

    CalendarYear = apps.get_model("clocks", "CalendarYear")
    CalendarDay = apps.get_model("clocks", "CalendarDay")
    rows = list(CalendarYear.objects.values_list("year", "status"))
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (workdays if kind == "workday" else holidays).add(day)
    return Calendar(
        years=frozenset(year for year, _status in rows),
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        provisional=frozenset(year for year, status in rows if status == "provisional"),
    )


def backfill(apps, schema_editor):
    from yaojian.clocks.calendar import CalendarNotCoveredError

    Notice = apps.get_model("notices", "Notice")
    legacy = Notice.objects.filter(due_on__isnull=False, due_working_days__isnull=True)
    if not legacy.exists():
        return
    calendar = _calendar(apps)
    for pk, created_at, due_on in legacy.values_list("pk", "created_at", "due_on").iterator():
        sent_on = timezone.localtime(created_at).date()
        try:
            days = max(calendar.working_days_between(sent_on, due_on), 1)
        except CalendarNotCoveredError:
            continue
        Notice.objects.filter(pk=pk).update(due_working_days=days)


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0004_merge_law_shell"),
        ("clocks", "0004_periodic_run_enqueued"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

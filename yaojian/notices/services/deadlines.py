"""Notice deadlines follow the holiday schedule (DOMAIN.md §5.1, issue 9 item 1).

A notice's due date is ``due_working_days`` working days after the day it was sent. A date
computed with a provisional year (one whose official schedule is not yet published) is shown
with a warning (``clocks`` template filter ``provisional_mark``) and recomputed here when an
administrator loads or changes a year's schedule (``clocks.events.CalendarChanged``).

Notices sent before the working days were stored (``notices.0003``) have a due date and no
``due_working_days``: migration ``notices.0005`` derives them from the two dates with the
calendar of the day it runs (:func:`derive_working_days`; it must run before the schedule
changes, which is why it is a migration and not done at recompute time, when the calendar has
already moved), and ``create_notice`` derives them for a caller that gives only a date, so no
open notice keeps a due date the holiday schedule cannot move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from yaojian.audit.services import record
from yaojian.clocks.calendar import (
    Calendar,
    CalendarNotCoveredError,
    add_working_days,
    get_calendar,
)
from yaojian.notices.choices import OPEN_STATES
from yaojian.notices.models import Notice


def derive_working_days(calendar: Calendar, sent_on: dt.date, due_on: dt.date) -> int | None:
    """The working days from ``sent_on`` to ``due_on`` (at least 1), or None when the calendar
    does not cover the period."""
    try:
        return max(calendar.working_days_between(sent_on, due_on), 1)
    except CalendarNotCoveredError:
        return None


def recompute_due_dates(years: Iterable[int] = ()) -> int:
    """Recompute the due dates of open notices whose period touches ``years`` or a provisional
    year. Returns how many changed; each change is audited (``notices.due_recomputed``)."""
    years = tuple(years)

    touched = models.Q(due_on__year__in=sorted(get_calendar().provisional))
    if years:
        touched |= models.Q(created_at__year__lte=max(years), due_on__year__gte=min(years))
    candidates = (
        Notice.objects.filter(
            touched,
            state__in=sorted(OPEN_STATES),
            due_on__isnull=False,
            due_working_days__isnull=False,
        )
        .order_by("id")
        .values_list("pk", flat=True)
    )
    changed = 0
    for pk in list(candidates):
        with transaction.atomic():
            notice = Notice.objects.select_for_update(no_key=True).get(pk=pk)
            sent_on = timezone.localtime(notice.created_at).date()
            try:
                due_on = add_working_days(sent_on, notice.due_working_days or 0)
            except CalendarNotCoveredError:
                continue  # a year still not covered: left as it was
            if due_on == notice.due_on:
                continue
            before = notice.due_on
            notice.due_on = due_on
            notice.save(update_fields=["due_on", "updated_at"])
            record(
                actor=None,
                action="notices.due_recomputed",
                obj=notice,
                changes={"due_on": [before.isoformat() if before else None, due_on.isoformat()]},
                department=notice.recipient,
            )
            changed += 1
    return changed

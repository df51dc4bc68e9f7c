"""Escalating overdue notices: level 1 to the department head, level 2 to the level above."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from yaojian.audit.services import record
from yaojian.clocks.calendar import CalendarNotCoveredError, working_days_between
from yaojian.core.events import publish
from yaojian.notices.choices import OPEN_STATES, NoticeEventKind
from yaojian.notices.events import NoticeEscalated
from yaojian.notices.models import Notice
from yaojian.notices.selectors import department_above, department_heads
from yaojian.notices.services.notices import add_event, create_notice, lock_notice


def second_level_after() -> int:
    """Working days a level-1 notice may stay overdue before level 2 (setting, default 3)."""
    return int(getattr(settings, "NOTICES_ESCALATE_LEVEL_2_AFTER_WORKING_DAYS", 3))


def first_level_after() -> int:
    """Working days past the deadline before level 1 (setting, default 1)."""
    return int(getattr(settings, "NOTICES_ESCALATE_LEVEL_1_AFTER_WORKING_DAYS", 1))


def escalate_overdue_notices(*, actor: Any = None, today: dt.date | None = None) -> int:
    """Escalate every overdue open notice that is due for it; returns how many moved.

    Idempotent: a notice moves at most one level per run and never past level 2. Counting
    is in working days by the holiday calendar, so holidays do not make a notice overdue.
    """
    today = today or timezone.localdate()
    candidates = list(
        Notice.objects.filter(
            state__in=sorted(OPEN_STATES), due_on__lt=today, escalation_level__lt=2
        ).values_list("pk", flat=True)
    )
    moved = 0
    for pk in candidates:
        try:
            if _escalate_one(actor=actor, pk=pk, today=today):
                moved += 1
        except CalendarNotCoveredError:
            continue
    return moved


@transaction.atomic
def _escalate_one(*, actor: Any, pk: int, today: dt.date) -> bool:
    notice = lock_notice(Notice(pk=pk))
    if notice.state not in OPEN_STATES or notice.due_on is None:
        return False
    if notice.escalation_level == 0:
        if working_days_between(notice.due_on, today) < first_level_after():
            return False
        heads = department_heads(notice.recipient)
        notice.escalation_level = 1
        notice.escalated_on = today
        notice.save(update_fields=["escalation_level", "escalated_on", "updated_at"])
        add_event(
            notice,
            NoticeEventKind.ESCALATED,
            actor=actor,
            department=notice.recipient,
            note="level 1: " + ", ".join(str(h) for h in heads),
        )
        record(
            actor=actor,
            action="notices.notice_escalated",
            obj=notice,
            changes={"level": [0, 1], "heads": [str(h.public_id) for h in heads]},
            department=notice.recipient,
        )
        publish(NoticeEscalated(str(notice.public_id), 1, notice.recipient_id, notice.recipient_id))
        return True
    assert notice.escalated_on is not None  # noqa: S101 (set with level 1)
    if working_days_between(notice.escalated_on, today) < second_level_after():
        return False
    above = department_above(notice.recipient)
    notice.escalation_level = 2
    notice.escalated_on = today
    notice.save(update_fields=["escalation_level", "escalated_on", "updated_at"])
    add_event(
        notice,
        NoticeEventKind.ESCALATED,
        actor=actor,
        department=above,
        note=f"level 2: {above.code}" if above else "level 2: -",
    )
    record(
        actor=actor,
        action="notices.notice_escalated",
        obj=notice,
        changes={"level": [1, 2], "to": above.code if above else None},
        department=notice.recipient,
    )
    if above is not None:
        with translation.override(settings.LANGUAGE_CODE):
            subject = gettext("Overdue: %(subject)s (%(department)s)") % {
                "subject": notice.subject,
                "department": notice.recipient.name,
            }
            body = gettext(
                "%(department)s has not answered this notice from %(sender)s, due on "
                "%(due)s. Please supervise its handling."
            ) % {
                "department": notice.recipient.name,
                "sender": notice.sender.name,
                "due": notice.due_on.isoformat(),
            }
        create_notice(
            actor=actor,
            sender=notice.sender,
            recipient=above,
            subject=subject,
            body=body,
            due_on=None,
            category=notice.category,
            entity=notice.entity,
            problem=notice.problem,
            escalated_from=notice,
            source_app="notices",
            source_ref=f"escalation:{notice.public_id}",
        )
    publish(
        NoticeEscalated(str(notice.public_id), 2, notice.recipient_id, above.pk if above else None)
    )
    return True

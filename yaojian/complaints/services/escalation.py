"""Escalation of overdue clocks and the sweep of cases not filed (periodic, idempotent)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from yaojian.audit.services import record
from yaojian.complaints import clocks
from yaojian.complaints.choices import State
from yaojian.complaints.events import ComplaintOverdue
from yaojian.complaints.models import Complaint
from yaojian.complaints.services.handling import case_not_filed
from yaojian.core.events import publish


def escalate_overdue(*, today: dt.date | None = None) -> int:
    """Publish ``ComplaintOverdue`` once for each complaint whose next clock ran out (the
    superior office is told by the handler); returns how many."""
    today = today or timezone.localdate()
    done = 0
    for pk in Complaint.objects.filter(due_on__lt=today, escalated_on__isnull=True).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update(no_key=True).get(pk=pk)
            clock = clocks.next_due(complaint)
            if complaint.escalated_on or clock is None or clock.due_on >= today:
                continue
            complaint.escalated_on = today
            complaint.save(update_fields=["escalated_on", "updated_at"])
            record(
                actor=None,
                action="complaints.complaint_escalated",
                obj=complaint,
                department=complaint.department,
                changes={"clock": clock.key, "due_on": clock.due_on.isoformat()},
            )
            publish(
                ComplaintOverdue(
                    complaint_id=complaint.pk,
                    number=complaint.number,
                    department_id=complaint.department_id,
                    clock=clock.key,
                    due_on=clock.due_on.isoformat(),
                )
            )
            done += 1
    return done


def sync_cases_not_filed() -> int:
    """Reports whose clue was declined in enforcement (no event there): not opened."""
    from yaojian.enforcement.choices import CaseStage

    done = 0
    for complaint in Complaint.objects.filter(
        state=State.CLUE, case__stage=CaseStage.NOT_FILED
    ).select_related("case"):
        case_not_filed(complaint=complaint, reason=complaint.case.not_filed_reason)  # type: ignore[union-attr]
        done += 1
    return done

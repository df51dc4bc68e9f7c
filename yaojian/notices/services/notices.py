"""Writes of notices: sending, the inbox state machine (read → acknowledged → answered → closed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import record
from yaojian.clocks.calendar import CalendarNotCoveredError, add_working_days, get_calendar
from yaojian.core.events import publish
from yaojian.notices.choices import ALLOWED_TRANSITIONS, NoticeEventKind, NoticeState
from yaojian.notices.events import NoticeCreated, NoticeStateChanged
from yaojian.notices.models import Notice, NoticeEvent, Problem, ProblemCategory, RoutingRule
from yaojian.notices.permissions import SEND_NOTICE
from yaojian.notices.selectors import can_act_on, can_close
from yaojian.notices.services.common import (
    check_attachments,
    emit_webhook,
    save_attachments,
    user_or_none,
)
from yaojian.notices.services.deadlines import derive_working_days
from yaojian.registry.models import Entity
from yaojian.registry.services.validation import FieldErrors, clean_text

MAX_DUE_WORKING_DAYS = 60


def compute_due_on(
    errors: FieldErrors, field: str, days: int | None, start: dt.date
) -> dt.date | None:
    """``days`` working days after ``start`` by the holiday calendar (``None``: no deadline)."""
    if days is None:
        return None
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DUE_WORKING_DAYS:
        errors.add(
            field,
            _("The deadline must be between 1 and %(max)d working days."),
            "invalid_deadline",
            {"max": MAX_DUE_WORKING_DAYS},
        )
        return None
    try:
        return add_working_days(start, days)
    except CalendarNotCoveredError as exc:
        errors.add(field, str(exc), "calendar_not_covered")
        return None


def add_event(
    notice: Notice, kind: str, *, actor: Any, department: Department | None, note: str = ""
) -> NoticeEvent:
    return NoticeEvent.objects.create(
        notice=notice,
        kind=kind,
        actor=user_or_none(actor),
        department=department,
        occurred_at=timezone.now(),
        note=note[:255],
    )


def notice_payload(notice: Notice) -> dict[str, Any]:
    """What webhooks receive about a notice (no personal data)."""
    return {
        "notice": str(notice.public_id),
        "subject": notice.subject,
        "state": notice.state,
        "sender": notice.sender.code,
        "recipient": notice.recipient.code,
        "category": notice.category.code if notice.category else "",
        "entity": str(notice.entity.public_id) if notice.entity else None,
        "problem": str(notice.problem.public_id) if notice.problem else None,
        "due_on": notice.due_on.isoformat() if notice.due_on else None,
        "source_app": notice.source_app,
        "source_ref": notice.source_ref,
        "answer": notice.answer,
    }


def _working_days(due_on: dt.date | None, days: int | None) -> int | None:
    """The stored working days: as given, derived from a bare due date, None without a date."""
    if due_on is None:
        return None
    return days or derive_working_days(get_calendar(), timezone.localdate(), due_on)


def create_notice(
    *,
    actor: Any,
    sender: Department,
    recipient: Department,
    subject: str,
    body: str,
    due_on: dt.date | None,
    due_working_days: int | None = None,
    expected_answer: str = "",
    category: ProblemCategory | None = None,
    entity: Entity | None = None,
    problem: Problem | None = None,
    rule: RoutingRule | None = None,
    escalated_from: Notice | None = None,
    source_app: str = "",
    source_ref: str = "",
    url: str = "",
) -> Notice:
    """Write one notice with its ``sent`` event, audit row, event and webhook (inside a transaction).

    Callers validate first; this only writes.
    """
    notice = Notice.objects.create(
        problem=problem,
        rule=rule,
        escalated_from=escalated_from,
        sender=sender,
        sent_by=user_or_none(actor),
        recipient=recipient,
        category=category,
        entity=entity,
        subject=subject[:200],
        body=body,
        expected_answer=expected_answer,
        due_on=due_on,
        due_working_days=_working_days(due_on, due_working_days),
        source_app=source_app[:32],
        source_ref=source_ref[:128],
        url=url[:500],
    )
    add_event(notice, NoticeEventKind.SENT, actor=actor, department=sender)
    record(
        actor=actor,
        action="notices.notice_sent",
        obj=notice,
        changes={
            "sender": sender.code,
            "recipient": recipient.code,
            "due_on": due_on.isoformat() if due_on else None,
            "source_app": source_app,
            "source_ref": source_ref,
        },
        department=sender,
    )
    emit_webhook(
        event_type="notice.created",
        department_ids=[recipient.pk],
        payload=notice_payload(notice),
        key=f"notice.created:{notice.public_id}",
    )
    publish(
        NoticeCreated(
            notice_id=str(notice.public_id),
            sender_department_id=sender.pk,
            recipient_department_id=recipient.pk,
            source_app=source_app,
            source_ref=source_ref,
        )
    )
    return notice


def _check_sender(errors: FieldErrors, actor: Any, sender: Department) -> None:
    if actor is None or scope_for(actor).is_superuser:
        return
    allowed = {m.department_id for m in scope_for(actor).members_with(SEND_NOTICE)}
    if sender.pk not in allowed:
        raise PermissionDenied(
            _("You can send notices only for a department in which you may send them.")
        )


@transaction.atomic
def send_notice(
    *,
    actor: Any,
    sender_department: Department,
    recipient_departments: Iterable[Department],
    subject: str,
    body: str,
    category: str = "",
    entity: Entity | None = None,
    due_working_days: int | None = None,
    expected_answer: str = "",
    source_app: str = "",
    source_ref: str = "",
    url: str = "",
) -> list[Notice]:
    """A notice from another app (a case filed, a licence revoked, a referral…): same inbox.

    ``actor`` may be ``None`` for system senders; otherwise it must hold ``notices.add_notice``
    in ``sender_department``. One notice per recipient department (duplicates and the sender
    itself are skipped). ``ValidationError`` per field; nothing is written on failure.
    """
    _check_sender(FieldErrors(), actor, sender_department)
    errors = FieldErrors()
    subject = clean_text(errors, "subject", subject)
    if not subject:
        errors.add("subject", _("Enter a subject."), "required")
    elif len(subject) > 200:
        errors.add("subject", _("The subject is longer than 200 characters."), "too_long")
    body = clean_text(errors, "body", body, multiline=True)
    expected_answer = clean_text(errors, "expected_answer", expected_answer, multiline=True)
    category_obj = None
    if category:
        category_obj = ProblemCategory.objects.filter(code=category).first()
        if category_obj is None:
            errors.add(
                "category",
                _("“%(value)s” is not a problem category."),
                "invalid_choice",
                {"value": str(category)[:40]},
            )
    recipients: list[Department] = []
    for department in recipient_departments:
        if department.pk != sender_department.pk and department not in recipients:
            recipients.append(department)
    if not recipients:
        errors.add(
            "recipient_departments",
            _("Choose at least one department other than the sender."),
            "required",
        )
    inactive = [d.name for d in recipients if not d.is_active]
    if inactive:
        errors.add(
            "recipient_departments",
            _("These departments are no longer active: %(names)s."),
            "inactive_department",
            {"names": "、".join(inactive)},
        )
    due_on = compute_due_on(errors, "due_working_days", due_working_days, timezone.localdate())
    errors.raise_if_any()
    return [
        create_notice(
            actor=actor,
            sender=sender_department,
            recipient=recipient,
            subject=subject,
            body=body,
            due_on=due_on,
            due_working_days=due_working_days,
            expected_answer=expected_answer,
            category=category_obj,
            entity=entity,
            source_app=source_app,
            source_ref=source_ref,
            url=url,
        )
        for recipient in recipients
    ]


# --- the inbox state machine -----------------------------------------------------------------

_STAMP = {
    NoticeState.READ: "read_at",
    NoticeState.ACKNOWLEDGED: "acknowledged_at",
    NoticeState.ANSWERED: "answered_at",
    NoticeState.CLOSED: "closed_at",
}
_EVENT = {
    NoticeState.ACKNOWLEDGED: NoticeEventKind.ACKNOWLEDGED,
    NoticeState.ANSWERED: NoticeEventKind.ANSWERED,
    NoticeState.CLOSED: NoticeEventKind.CLOSED,
}


def lock_notice(notice: Notice) -> Notice:
    return (
        Notice.objects.select_for_update(no_key=True, of=("self",))
        .select_related("sender", "recipient", "category", "entity", "problem")
        .get(pk=notice.pk)
    )


def _acting_department(actor: Any, department: Department) -> Department | None:
    if actor is None:
        return None
    return department if department.pk in scope_for(actor).department_ids else None


@transaction.atomic
def transition_notice(
    *,
    actor: Any,
    notice: Notice,
    to_state: str,
    answer: str = "",
    attachments: Sequence[UploadedFile] = (),
) -> Notice:
    """Move ``notice`` to ``to_state`` (the one writer of notice states).

    Acknowledge and answer: a worker of the recipient department; close: a worker of the
    sender department, once answered. Illegal transitions raise ``ValidationError`` with a
    clear message; nothing is written then.
    """
    locked = lock_notice(notice)
    if to_state == NoticeState.CLOSED:
        if not can_close(actor, locked):
            raise PermissionDenied(_("Only the department that sent a notice can close it."))
        department = locked.sender
    else:
        if not can_act_on(actor, locked):
            raise PermissionDenied(
                _("Only the staff of the receiving department can act on this notice.")
            )
        department = locked.recipient
    current = locked.state
    if to_state not in ALLOWED_TRANSITIONS.get(current, set()):
        raise ValidationError(
            _("A notice that is “%(current)s” cannot become “%(target)s”."),
            code="invalid_transition",
            params={
                "current": NoticeState(current).label,
                "target": NoticeState(to_state).label
                if to_state in NoticeState.values
                else to_state,
            },
        )
    errors = FieldErrors()
    update_fields = ["state", _STAMP[NoticeState(to_state)], "updated_at"]
    if to_state == NoticeState.ANSWERED:
        answer = clean_text(errors, "answer", answer, multiline=True)
        if not answer:
            errors.add(
                "answer", _("Write the outcome you are returning to the sender."), "required"
            )
        elif len(answer) > 5000:
            errors.add("answer", _("The answer is longer than 5,000 characters."), "too_long")
        check_attachments(errors, "attachments", attachments)
        errors.raise_if_any()
        locked.answer = answer
        locked.answered_by = user_or_none(actor)
        update_fields += ["answer", "answered_by"]
    now = timezone.now()
    locked.state = to_state
    setattr(locked, _STAMP[NoticeState(to_state)], now)
    locked.save(update_fields=update_fields)
    if to_state == NoticeState.ANSWERED and attachments:
        save_attachments(actor=actor, files=attachments, notice=locked)
    if to_state in _EVENT:
        add_event(locked, _EVENT[NoticeState(to_state)], actor=actor, department=department)
    record(
        actor=actor,
        action=f"notices.notice_{to_state}",
        obj=locked,
        changes={"state": [current, to_state]},
        department=_acting_department(actor, department),
    )
    if to_state == NoticeState.ANSWERED:
        emit_webhook(
            event_type="notice.answered",
            department_ids=[locked.sender_id],
            payload=notice_payload(locked),
            key=f"notice.answered:{locked.public_id}",
        )
    publish(
        NoticeStateChanged(
            notice_id=str(locked.public_id),
            from_state=current,
            to_state=to_state,
            sender_department_id=locked.sender_id,
            recipient_department_id=locked.recipient_id,
            source_app=locked.source_app,
            source_ref=locked.source_ref,
        )
    )
    return locked


@transaction.atomic
def view_notice(*, actor: Any, notice: Notice) -> Notice:
    """Record that ``actor`` opened the notice; the first opening in the recipient department
    marks it read. Who saw what, and when, is kept as ``viewed`` events — one per person (the
    first time they opened it), not one per page load.
    """
    locked = lock_notice(notice)
    scope = scope_for(actor)
    if locked.recipient_id in scope.department_ids:
        department: Department | None = locked.recipient
    elif locked.sender_id in scope.department_ids:
        department = locked.sender
    else:
        department = None
    user = user_or_none(actor)
    if user is None or not locked.events.filter(kind=NoticeEventKind.VIEWED, actor=user).exists():
        add_event(locked, NoticeEventKind.VIEWED, actor=actor, department=department)
    if (
        locked.state == NoticeState.UNREAD
        and department is not None
        and department.pk == locked.recipient_id
    ):
        locked.state = NoticeState.READ
        locked.read_at = timezone.now()
        locked.save(update_fields=["state", "read_at", "updated_at"])
        record(
            actor=actor,
            action="notices.notice_read",
            obj=locked,
            changes={"state": [NoticeState.UNREAD, NoticeState.READ]},
            department=department,
        )
        publish(
            NoticeStateChanged(
                notice_id=str(locked.public_id),
                from_state=NoticeState.UNREAD,
                to_state=NoticeState.READ,
                sender_department_id=locked.sender_id,
                recipient_department_id=locked.recipient_id,
                source_app=locked.source_app,
                source_ref=locked.source_ref,
            )
        )
    return locked


def acknowledge_notice(*, actor: Any, notice: Notice) -> Notice:
    """The recipient department confirms it has taken the notice in hand."""
    return transition_notice(actor=actor, notice=notice, to_state=NoticeState.ACKNOWLEDGED)


def answer_notice(
    *, actor: Any, notice: Notice, answer: str, attachments: Sequence[UploadedFile] = ()
) -> Notice:
    """The recipient department returns its outcome (with attachments) to the sender."""
    return transition_notice(
        actor=actor,
        notice=notice,
        to_state=NoticeState.ANSWERED,
        answer=answer,
        attachments=attachments,
    )


def close_notice(*, actor: Any, notice: Notice) -> Notice:
    """The sender department closes an answered notice."""
    return transition_notice(actor=actor, notice=notice, to_state=NoticeState.CLOSED)

"""Writes of the outbox: store an event's hand-offs (called by ``core.events.publish``) and
replay a failed or dead hand-off (administrators, audited).

Delivering (claim, run the handler, retry schedule) lives in :mod:`yaojian.outbox.delivery`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.audit.services import record
from yaojian.core import inserts
from yaojian.core.events import event_type_name
from yaojian.outbox import codec
from yaojian.outbox.choices import REPLAYABLE_STATUSES, MessageStatus
from yaojian.outbox.models import Message


def _department_id(event: Any) -> int | None:
    value = getattr(event, "department_id", None)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def store_event(event: Any, handler_names: list[str]) -> list[Message]:
    """Write one pending hand-off per handler in the current transaction (opening one when
    there is none) and enqueue their delivery once it commits.

    The event is encoded first: an event that cannot be stored raises and writes nothing.
    """
    payload = codec.encode(event)
    event_id = uuid.uuid4()
    event_type = event_type_name(type(event))
    now = timezone.now()
    department_id = _department_id(event)
    with transaction.atomic(savepoint=False):  # the publisher's transaction, or a new one
        messages = [
            Message(
                event_id=event_id,
                event_type=event_type,
                handler=name,
                payload=payload,
                idempotency_key=f"{event_id}:{name}"[:300],
                department_id=department_id,
                status=MessageStatus.PENDING,
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
            for name in handler_names
        ]
        inserts.insert_all(messages)  # one INSERT … RETURNING, as bulk_create (ADR 0040)
        from yaojian.outbox.delivery import deliver_all_on_commit

        deliver_all_on_commit([message.pk for message in messages])
    return messages


@transaction.atomic
def replay_message(*, actor: Any, message: Message) -> Message:
    """Put a failed or dead hand-off back to pending with a fresh retry schedule (audited).

    The idempotency key stays the same. A delivered hand-off is never replayed: its effects
    were committed with its ``delivered`` mark.
    """
    if not Message.objects.visible_to(actor).filter(pk=message.pk).exists():
        raise Message.DoesNotExist
    locked = (
        Message.objects.visible_to(actor, "replay")
        .select_for_update(no_key=True)
        .filter(pk=message.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You are not allowed to replay hand-offs."))
    if locked.status not in REPLAYABLE_STATUSES:
        raise ValidationError(
            _("Only a failed or dead hand-off can be replayed; this one is %(status)s."),
            code="not_replayable",
            params={"status": locked.get_status_display()},
        )
    before = {"status": locked.status, "attempts": locked.attempts}
    locked.status = MessageStatus.PENDING
    locked.attempts = 0
    locked.next_attempt_at = timezone.now()
    locked.claim_token = None
    locked.save(
        update_fields=["status", "attempts", "next_attempt_at", "claim_token", "updated_at"]
    )
    record(
        actor=actor,
        action="outbox.message_replayed",
        obj=locked,
        changes={
            "status": [before["status"], MessageStatus.PENDING],
            "attempts": [before["attempts"], 0],
            "idempotency_key": [locked.idempotency_key, locked.idempotency_key],
        },
        department=locked.department,
    )
    from yaojian.outbox.delivery import deliver_on_commit

    deliver_on_commit(locked.pk)
    return locked

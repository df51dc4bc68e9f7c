"""Delivering hand-offs: claim, run the handler, record the outcome, schedule the retry.

* **Claim.** A conditional UPDATE takes a due hand-off (pending, failed, or running with an
  expired lease), marks it running with a fresh claim token, counts the attempt and pushes
  ``next_attempt_at`` a lease ahead; committed at once, so a hand-off that kills its worker
  still uses up attempts. The sweep claims batches with ``FOR UPDATE SKIP LOCKED`` on
  PostgreSQL (SQLite's IMMEDIATE transactions serialise writers anyway).
* **Run.** One transaction locks the row (still ours: same token), runs the handler in a
  savepoint and marks the row delivered — or, if the handler raised, failed with its next
  attempt (or dead). The handler's effects and the ``delivered`` mark commit together, so a
  worker killed mid-handler leaves no effect and a running row that the next worker takes
  after the lease: every hand-off takes effect exactly once.
"""

from __future__ import annotations

import logging
import time
import traceback
import uuid
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from yaojian.core import events
from yaojian.outbox import codec, conf
from yaojian.outbox.choices import CLAIMABLE_STATUSES, MessageStatus
from yaojian.outbox.models import Message

logger = logging.getLogger(__name__)

ERROR_CHARS = 4000


def _backend_defers() -> bool:
    from yaojian.outbox.tasks import deliver_message_task

    return bool(deliver_message_task.get_backend().supports_defer)


def _queue_in_this_transaction() -> bool:
    """True when the task queue is rows of this database (``django_tasks_db``) and a
    transaction is open: a delivery is then enqueued inside it, so the queue rows commit with
    the hand-offs they deliver (one write transaction for the publisher, not a second one after
    its commit, and no enqueue lost between the two). Another backend (the immediate one of the
    tests, a broker) is handed the delivery after the commit, as the handler must see the row.
    """
    from django_tasks_db import DatabaseBackend

    from yaojian.outbox.tasks import deliver_message_task

    backend = deliver_message_task.get_backend()
    return isinstance(backend, DatabaseBackend) and connection.in_atomic_block


def deliver_on_commit(message_id: int, *, run_after: datetime | None = None) -> None:
    """Enqueue the delivery with the current transaction (at ``run_after`` if given).

    Queue rows in this database are written in the transaction itself; another backend is
    called once it commits, robustly: an enqueue that fails is logged and the sweep delivers
    the hand-off later.
    """
    from yaojian.outbox.tasks import deliver_message_task

    def enqueue() -> None:
        task = deliver_message_task
        if run_after is not None:
            if not _backend_defers():
                return  # the sweep (deliver_due_task) takes it when it is due
            task = task.using(run_after=run_after)
        task.enqueue(message_id=message_id)

    if _queue_in_this_transaction():
        enqueue()
        return
    transaction.on_commit(enqueue, robust=True)


def deliver_all_on_commit(message_ids: list[int]) -> None:
    """Enqueue the delivery of one event's hand-offs with the current transaction, as **one**
    task (:func:`deliver_many`): queue rows in this database inside the transaction (a public
    request that publishes then takes SQLite's write lock, or commits on PostgreSQL, once),
    another backend once it commits. One queue row for the event, not one per hand-off: the
    worker claims and finishes one task and claims the hand-offs in one statement; each
    hand-off still runs, commits and retries on its own.

    Robust like :func:`deliver_on_commit`: a failed enqueue is logged, the sweep delivers."""
    from yaojian.outbox.tasks import deliver_messages_task

    ids = list(message_ids)
    if len(ids) == 1:
        deliver_on_commit(ids[0])
        return
    if not ids:
        return

    def enqueue() -> None:
        deliver_messages_task.enqueue(message_ids=ids)

    if _queue_in_this_transaction():
        enqueue()
        return
    transaction.on_commit(enqueue, robust=True)


def _due_q(now: datetime) -> Q:
    return Q(status__in=CLAIMABLE_STATUSES, next_attempt_at__lte=now)


def claim(message_id: int, now: datetime | None = None) -> uuid.UUID | None:
    """Take one hand-off if it is due; its claim token, or None if it is not due (or taken)."""
    now = now or timezone.now()
    token = uuid.uuid4()
    taken = Message.objects.filter(_due_q(now), pk=message_id).update(
        status=MessageStatus.RUNNING,
        claim_token=token,
        attempts=F("attempts") + 1,
        next_attempt_at=now + conf.lease(),
        updated_at=now,
    )
    return token if taken else None


def claim_due(limit: int, now: datetime | None = None) -> tuple[uuid.UUID, list[int]]:
    """Take up to ``limit`` due hand-offs, oldest first: (claim token, their ids)."""
    now = now or timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        due = Message.objects.filter(_due_q(now)).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if ids:
            Message.objects.filter(_due_q(now), pk__in=ids).update(
                status=MessageStatus.RUNNING,
                claim_token=token,
                attempts=F("attempts") + 1,
                next_attempt_at=now + conf.lease(),
                updated_at=now,
            )
    return token, ids


def deliver(message_id: int) -> str | None:
    """Claim and run one hand-off if it is due; its new status (None if not due or taken)."""
    token = claim(message_id)
    if token is None:
        return None
    return run_claimed(message_id, token)


def deliver_many(message_ids: list[int]) -> list[str | None]:
    """Claim the due hand-offs among ``message_ids`` in one statement, then run each in its
    own transaction (as :func:`deliver`); their new statuses (None: not due or taken)."""
    now = timezone.now()
    token = uuid.uuid4()
    Message.objects.filter(_due_q(now), pk__in=list(message_ids)).update(
        status=MessageStatus.RUNNING,
        claim_token=token,
        attempts=F("attempts") + 1,
        next_attempt_at=now + conf.lease(),
        updated_at=now,
    )
    return [run_claimed(message_id, token) for message_id in message_ids]


def run_claimed(message_id: int, token: uuid.UUID) -> str | None:
    """Run the handler of a hand-off claimed with ``token``; its new status, or None when
    another worker took it meanwhile (the lease ran out)."""
    with transaction.atomic():
        message = _lock_claimed(message_id, token)
        if message is None:
            return None
        error = ""
        try:
            handler, event = _resolve(message)
            with transaction.atomic(), events.delivering(message.idempotency_key):
                handler(event)
        except Exception as exc:  # the row keeps the error; the retry schedule takes over
            error = "".join(traceback.format_exception(exc))[-ERROR_CHARS:]
        return _finish(message, error)


_LOCK_SQL: dict[str, str] = {}


def _lock_claimed(message_id: int, token: uuid.UUID) -> Message | None:
    """The hand-off, locked (PostgreSQL: ``FOR NO KEY UPDATE``; SQLite's write transaction
    holds the database) if it is still running under ``token``; else None. In SQL: the worker
    runs this for every hand-off, and the ORM compiled the locking query each time (~1 ms of
    CPU, more than the read; ADR 0041). Same row, same lock as
    ``select_for_update(no_key=True).filter(pk=…, status=running, claim_token=…)``."""
    sql = _LOCK_SQL.get(connection.vendor)
    if sql is None:
        qn = connection.ops.quote_name
        meta = Message._meta
        columns = ", ".join(qn(f.column) for f in meta.concrete_fields if f.column)
        features = connection.features
        lock = (
            " FOR NO KEY UPDATE"
            if features.has_select_for_no_key_update
            else " FOR UPDATE"
            if features.has_select_for_update
            else ""
        )
        sql = _LOCK_SQL[connection.vendor] = (
            f"SELECT {columns} FROM {qn(meta.db_table)} "  # noqa: S608 - quoted names only
            f"WHERE {qn('id')} = %s AND {qn('status')} = %s AND {qn('claim_token')} = %s{lock}"
        )
    claim_token = Message._meta.get_field("claim_token")
    params = [
        message_id,
        str(MessageStatus.RUNNING),
        claim_token.get_db_prep_value(token, connection),  # type: ignore[union-attr]
    ]
    return next(iter(Message.objects.raw(sql, params)), None)


class HandlerNotFoundError(LookupError):
    """The hand-off names a handler this process has not subscribed (yet)."""


def _resolve(message: Message) -> tuple[Any, Any]:
    event_type = codec.event_class(message.event_type)
    handler = events.handler_named(event_type, message.handler)
    if handler is None:
        raise HandlerNotFoundError(
            f"no handler {message.handler!r} is subscribed to {message.event_type} here"
        )
    return handler, codec.decode(message.event_type, message.payload)


def _finish(message: Message, error: str) -> str:
    now = timezone.now()
    fields: dict[str, Any] = {"claim_token": None, "updated_at": now}
    if not error:
        fields.update(
            status=MessageStatus.DELIVERED, delivered_at=now, next_attempt_at=None, last_error=""
        )
    else:
        retry_at = conf.policy().next_attempt(message.attempts, now)
        fields["last_error"] = error
        if retry_at is None:
            fields.update(status=MessageStatus.DEAD, next_attempt_at=None)
            logger.error(
                "hand-off %s (%s → %s) is dead after %s attempts: %s",
                message.public_id,
                message.event_type,
                message.handler,
                message.attempts,
                error.strip().splitlines()[-1],
            )
        else:
            fields.update(status=MessageStatus.FAILED, next_attempt_at=retry_at)
            logger.warning(
                "hand-off %s (%s → %s) failed (attempt %s), retry at %s: %s",
                message.public_id,
                message.event_type,
                message.handler,
                message.attempts,
                retry_at.isoformat(),
                error.strip().splitlines()[-1],
            )
            deliver_on_commit(message.pk, run_after=retry_at)
    Message.objects.filter(pk=message.pk).update(**fields)
    return str(fields["status"])


def deliver_due(*, budget_seconds: float = 50.0, now: datetime | None = None) -> int:
    """Deliver every due hand-off, in batches, for at most ``budget_seconds``; how many ran.

    The safety net behind the per-hand-off tasks: an enqueue lost between commit and queue,
    a worker killed mid-delivery (lease run out), a retry on a backend that cannot defer.
    """
    started = time.monotonic()
    ran = 0
    while time.monotonic() - started < budget_seconds:
        token, ids = claim_due(conf.SWEEP_BATCH, now=now)
        if not ids:
            break
        for message_id in ids:
            if run_claimed(message_id, token) is not None:
                ran += 1
    return ran


def pending_count() -> int:
    """Hand-offs not yet delivered nor dead (for checks and tests)."""
    return Message.objects.filter(status__in=CLAIMABLE_STATUSES).count()

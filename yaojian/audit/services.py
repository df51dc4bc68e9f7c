"""Writing to the audit trail. ``record`` is called by every service, in its transaction.

The chain is serialised by one lock (a PostgreSQL advisory lock; SQLite's IMMEDIATE
transactions), taken as late as possible: ``record`` keeps the event in the connection's
pending list, and the database backend (``yaojian.audit.db``) chains and inserts the pending
events just before COMMIT (:func:`flush_pending`). The lock is therefore held for one SELECT,
one INSERT and the COMMIT, never while the service works (renders a PDF, imports a batch).
``AUDIT_CHAIN_LOCK = "early"`` restores the old behaviour (lock and insert in ``record``),
kept for the benchmark (bench/audit_lock.py). See ADR 0011.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from yaojian.audit.chain import GENESIS, KEYED, canonical_json, digest_of
from yaojian.audit.models import AuditEvent
from yaojian.core import bulkwrite, inserts, request_context

# Any constant: serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK_KEY = 0x59414F4A  # "YAOJ"


def lock_chain(connection: BaseDatabaseWrapper) -> None:
    """Take the chain lock until the end of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite: transactions are IMMEDIATE (settings), so writers are already serialised.


def late_chaining(connection: BaseDatabaseWrapper) -> bool:
    """True when ``record`` leaves chaining to the pre-commit step of ``connection``."""
    mode = getattr(settings, "AUDIT_CHAIN_LOCK", "late")
    return mode != "early" and hasattr(connection, "audit_pending")


def chain_and_insert(connection: BaseDatabaseWrapper, events: Sequence[AuditEvent]) -> None:
    """Lock the chain, link ``events`` after its last row and insert them (in one INSERT)."""
    lock_chain(connection)
    prev = _last_hash(connection) or GENESIS
    for event in events:
        event.prev_hash = prev
        event.hash = prev = digest_of(event, prev)
    rows = AuditEvent.objects.using(connection.alias)
    if len(events) == 1 and connection.alias == DEFAULT_DB_ALIAS:
        # One event (every request's write): one INSERT … RETURNING without the ORM's
        # compiler; on PostgreSQL one statement instead of COPY's two (ADR 0040).
        inserts.insert(events[0])
    elif connection.vendor == "postgresql" and connection.alias == DEFAULT_DB_ALIAS:
        # COPY, not ``bulk_create``: Django 5.2 sends a PostgreSQL bulk insert as one array
        # per column (UNNEST), and the client-side quoting of an array of large ``changes``
        # documents escapes them character by character (an import's 9 MB of before/after
        # took 8 s; COPY takes a fraction of that).
        bulkwrite.insert_objects(AuditEvent, events)
    else:
        rows.bulk_create(events)


def _last_hash(connection: BaseDatabaseWrapper) -> str | None:
    """The hash of the chain's last row (in SQL: run before every commit that audits)."""
    qn = connection.ops.quote_name
    sql = (
        f"SELECT {qn('hash')} FROM {qn(AuditEvent._meta.db_table)} ORDER BY {qn('id')} DESC LIMIT 1"  # noqa: S608
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0] if row else None


def flush_pending(connection: BaseDatabaseWrapper) -> None:
    """Chain and insert the events ``record`` left pending on ``connection`` (pre-commit)."""
    pending = list(getattr(connection, "audit_pending", ()))
    if pending:
        chain_and_insert(connection, pending)
        connection.audit_pending.clear()  # type: ignore[attr-defined]


def describe(obj: models.Model | None) -> tuple[str, str, str]:
    """(object_type, object_id, object_repr) for a model instance."""
    if obj is None:
        return "", "", ""
    meta = obj._meta
    object_id = str(getattr(obj, "public_id", None) or obj.pk)
    return f"{meta.app_label}.{meta.model_name}", object_id, str(obj)[:255]


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    department: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    ``actor`` may be ``None`` for the system (commands, workers). ``department`` defaults
    to the actor's first active department. The event is written when the transaction
    commits (with it, or not at all); until then its ``pk`` and ``hash`` are empty.

    Inside the caller's transaction no savepoint is taken (nothing here needs one: the event is
    only appended to the pending list; a SAVEPOINT/RELEASE pair per audited write was two
    statements for nothing). Outside one, a transaction is opened so that the event commits.
    """
    connection = connections[AuditEvent.objects.db]
    with transaction.atomic(savepoint=_savepoint_needed(connection)):
        return _record(
            actor=actor,
            action=action,
            obj=obj,
            changes=changes,
            reason=reason,
            department=department,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
        )


def _savepoint_needed(connection: BaseDatabaseWrapper) -> bool:
    """A savepoint only directly inside a test case's transaction, which never commits: its
    release is where the pending events are flushed there (``PendingAuditMixin``)."""
    blocks = getattr(connection, "atomic_blocks", [])
    return bool(blocks) and all(getattr(b, "_from_testcase", False) for b in blocks)


def _record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None,
    changes: dict[str, Any] | None,
    reason: str,
    department: Any,
    object_type: str,
    object_id: str,
    object_repr: str,
) -> AuditEvent:
    if obj is not None:
        object_type, object_id, object_repr = describe(obj)
    ctx = request_context.current()
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    if department is None and actor_id is not None:
        membership = actor.memberships.filter(is_active=True).order_by("pk").first()
        department = membership.department if membership else None
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor_id=actor_id,
        actor_label=str(actor)[:150] if actor is not None else "system",
        department_id=getattr(department, "pk", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        changes=canonical_json(changes or {}),
        reason=reason,
        request_id=ctx.request_id,
        ip_address=ctx.ip_address,
        version=KEYED,
    )
    connection = connections[AuditEvent.objects.db]
    if late_chaining(connection):
        connection.audit_pending.append(event)  # type: ignore[attr-defined]
    else:
        chain_and_insert(connection, [event])
    return event


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose values differ."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }

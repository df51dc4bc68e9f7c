"""Writing to the audit trail. ``record`` is called by every service, in its transaction."""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from yaojian.audit.chain import GENESIS, canonical_json, digest_of
from yaojian.audit.models import AuditEvent
from yaojian.core import request_context

# Any constant: serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK_KEY = 0x59414F4A  # "YAOJ"


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite: transactions are IMMEDIATE (settings), so writers are already serialised.


def describe(obj: models.Model | None) -> tuple[str, str, str]:
    """(object_type, object_id, object_repr) for a model instance."""
    if obj is None:
        return "", "", ""
    meta = obj._meta
    object_id = str(getattr(obj, "public_id", None) or obj.pk)
    return f"{meta.app_label}.{meta.model_name}", object_id, str(obj)[:255]


@transaction.atomic
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
    to the actor's first active department.
    """
    if obj is not None:
        object_type, object_id, object_repr = describe(obj)
    ctx = request_context.current()
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    if department is None and actor_id is not None:
        membership = actor.memberships.filter(is_active=True).order_by("pk").first()
        department = membership.department if membership else None
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
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
        prev_hash=last or GENESIS,
    )
    event.hash = digest_of(event, event.prev_hash)
    event.save(force_insert=True)
    return event


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose values differ."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }

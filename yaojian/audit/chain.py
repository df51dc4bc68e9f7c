"""Hashing of the audit chain: one canonical form, used to write and to verify.

Version 1 rows (written before ADR 0011) carry SHA-256 of the content; version 2 rows carry
HMAC-SHA256 under the chain key (:mod:`yaojian.audit.keys`), which does not live in the
database, so someone who can write to the database cannot recompute a hash.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
LEGACY = 1  # SHA-256, before ADR 0011
KEYED = 2  # HMAC-SHA256 under the chain key
VERSIONS = (LEGACY, KEYED)


def canonical_json(value: Any) -> Any:
    """``value`` as it will come back from the JSON column (stable keys, str fallback)."""
    return json.loads(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))


def digest(
    *,
    prev_hash: str,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    department_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    changes: Any,
    reason: str,
    request_id: str,
    ip_address: str | None,
    key: bytes | None = None,
) -> str:
    """Hex digest of a row's content chained to ``prev_hash``: HMAC-SHA256 under ``key``
    (version 2), or plain SHA-256 without one (version 1)."""
    payload = {
        "prev": prev_hash,
        "at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_label": actor_label,
        "dept": department_id,
        "action": action,
        "type": object_type,
        "id": object_id,
        "repr": object_repr,
        "changes": changes,
        "reason": reason,
        "req": request_id,
        "ip": ip_address,
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if key is None:
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()
    return hmac.new(key, blob.encode("utf-8"), hashlib.sha256).hexdigest()


def key_for(version: int) -> bytes | None:
    """The key a row of ``version`` is hashed with (``ValueError`` for an unknown version)."""
    if version == LEGACY:
        return None
    if version == KEYED:
        from yaojian.audit.keys import chain_key

        return chain_key()
    raise ValueError(f"unknown audit chain version {version!r}")


def digest_of(event: Any, prev_hash: str) -> str:
    """The digest an ``AuditEvent`` row should carry after ``prev_hash``."""
    return digest(
        prev_hash=prev_hash,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        department_id=event.department_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_repr=event.object_repr,
        changes=event.changes,
        reason=event.reason,
        request_id=event.request_id,
        ip_address=event.ip_address,
        key=key_for(event.version),
    )

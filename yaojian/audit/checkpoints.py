"""Signed checkpoints of the audit chain, kept outside the database (ADR 0011).

A checkpoint states how many events the chain held (``count``), the id and hash of the last
one (``head_id``, ``head_hash``) and how many of the first events are unkeyed version-1 rows
(``legacy``), signed with HMAC-SHA256 under a key derived from the chain key. They are
appended as JSON lines to ``settings.AUDIT_CHECKPOINT_FILE`` (the scheduler writes one every
``AUDIT_CHECKPOINT_MINUTES``; ``manage.py audit_checkpoint`` writes one now) and may also be
sent to other departments' systems (webhook event ``audit.checkpoint``).
``verify_audit`` checks the chain against every checkpoint of this database: rows deleted at
the end, rewritten rows and forged lines are reported by position.
"""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

from yaojian.audit.chain import GENESIS, LEGACY
from yaojian.audit.keys import checkpoint_key
from yaojian.audit.models import AuditEvent

FORMAT = 1
_SIGNED_FIELDS = ("v", "db", "count", "head_id", "head_hash", "legacy", "at")


@dataclass(frozen=True)
class Checkpoint:
    """One signed statement of the chain's length and head."""

    v: int
    db: str
    count: int
    head_id: int | None
    head_hash: str
    legacy: int
    at: str
    sig: str = ""

    def signed(self) -> Checkpoint:
        return Checkpoint(**{**asdict(self), "sig": signature(self.payload())})

    def payload(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _SIGNED_FIELDS}

    def as_line(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True) + "\n"


@dataclass(frozen=True)
class CheckpointLine:
    """A line of a checkpoint file: its number and the checkpoint, or why it is unusable."""

    source: str
    line: int
    checkpoint: Checkpoint | None
    error: str = ""


def signature(payload: dict[str, Any]) -> str:
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac.new(checkpoint_key(), blob.encode("utf-8"), sha256).hexdigest()


def database_identity(alias: str = "default") -> str:
    """Which database a checkpoint speaks of (several databases may share ``var/``)."""
    connection = connections[alias]
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        name = Path(name).name
    return f"{connection.vendor}:{name}"


def checkpoint_file() -> Path:
    configured = getattr(settings, "AUDIT_CHECKPOINT_FILE", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "audit_checkpoints.jsonl"


def current() -> Checkpoint:
    """A signed checkpoint of the chain as committed now (no lock: ids are given out in chain
    order under the chain lock, so every row up to the head read here is committed)."""
    rows = AuditEvent.objects.all()
    head = rows.order_by("-id").values_list("id", "hash").first()
    head_id, head_hash = head if head else (None, GENESIS)
    upto = rows.filter(id__lte=head_id) if head_id is not None else rows.none()
    return Checkpoint(
        v=FORMAT,
        db=database_identity(),
        count=upto.count(),
        head_id=head_id,
        head_hash=head_hash,
        legacy=upto.filter(version=LEGACY).count(),
        at=timezone.now().isoformat(timespec="seconds"),
    ).signed()


def append(checkpoint: Checkpoint, path: Path | None = None) -> None:
    """Append one line, durably (O_APPEND, fsync); the file is created with mode 0600."""
    path = path or checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, checkpoint.as_line().encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read(path: Path) -> Iterator[CheckpointLine]:
    """Every line of ``path`` (none if it does not exist), parsed and signature-checked."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if text.strip():
                yield parse(text, source=str(path), line=number)


def parse(text: str, *, source: str, line: int) -> CheckpointLine:
    try:
        data = json.loads(text)
        checkpoint = Checkpoint(
            v=int(data["v"]),
            db=str(data["db"]),
            count=int(data["count"]),
            head_id=None if data["head_id"] is None else int(data["head_id"]),
            head_hash=str(data["head_hash"]),
            legacy=int(data["legacy"]),
            at=str(data["at"]),
            sig=str(data["sig"]),
        )
    except (ValueError, KeyError, TypeError):
        return CheckpointLine(source, line, None, "not a checkpoint")
    # The signature covers the values as written: a line is checked as it was parsed.
    expected = signature({name: data[name] for name in _SIGNED_FIELDS})
    if not hmac.compare_digest(expected, checkpoint.sig):
        return CheckpointLine(source, line, checkpoint, "signature does not match")
    return CheckpointLine(source, line, checkpoint)


def lines_for_this_database(paths: Iterable[Path]) -> list[CheckpointLine]:
    """The lines of ``paths`` about this database (and every unusable line)."""
    identity = database_identity()
    return [
        entry
        for path in paths
        for entry in read(path)
        if entry.checkpoint is None or entry.checkpoint.db == identity
    ]


def write_checkpoint() -> Checkpoint | None:
    """Append a checkpoint of the chain now, unless the last one of this database is the same
    (same count and head); returns what was written."""
    checkpoint = current()
    previous = [e.checkpoint for e in lines_for_this_database([checkpoint_file()]) if not e.error]
    last = previous[-1] if previous else None
    if last and (last.count, last.head_hash) == (checkpoint.count, checkpoint.head_hash):
        return None
    append(checkpoint)
    return checkpoint

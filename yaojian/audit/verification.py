"""Verifying the audit chain: finds edited, inserted and deleted rows by position.

Each row is checked against its predecessor (the link) and its own content (the keyed digest);
the chain is then held against every signed checkpoint of this database (ADR 0011): the row at
a checkpoint's position must carry the checkpoint's head hash, and the chain must be at least
as long as every checkpoint says, so rows deleted at the end, or rewritten and re-hashed by
someone holding the key, are found too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from yaojian.audit import checkpoints
from yaojian.audit.chain import GENESIS, KEYED, LEGACY, VERSIONS, digest_of
from yaojian.audit.models import AuditEvent


@dataclass(frozen=True)
class ChainProblem:
    """One break in the chain."""

    position: int  # 1-based position in id order
    event_id: int | None  # None: no such row (the chain ends before this position)
    kind: str  # "edited" | "inserted_or_deleted" | "downgraded" | "checkpoint_mismatch" |
    #            "truncated" | "forged_checkpoint"
    detail: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification."""

    checked: int
    problems: tuple[ChainProblem, ...]
    checkpoints: int = 0  # valid checkpoints of this database held against the chain
    legacy: int = 0  # unkeyed version-1 rows at the start of the chain

    @property
    def ok(self) -> bool:
        return not self.problems


def _row_problem(event: AuditEvent, expected_prev: str, keyed_seen: bool) -> str:
    if event.prev_hash != expected_prev:
        return "inserted_or_deleted"
    if event.version not in VERSIONS:
        return "edited"
    if event.version == LEGACY and keyed_seen:
        return "downgraded"
    if digest_of(event, event.prev_hash) != event.hash:
        return "edited"
    return ""


_DETAILS = {
    "inserted_or_deleted": "previous-hash link broken: a row before this one was inserted or "
    "deleted",
    "edited": "content does not match its hash",
    "downgraded": "an unkeyed (version 1) row after keyed rows: rewritten without the key",
}


def verify_chain(
    batch_size: int = 2000, checkpoint_files: Iterable[Path] | None = None
) -> ChainReport:
    """Walk the whole chain, hold it against the checkpoints, report every break.

    ``checkpoint_files`` defaults to ``settings.AUDIT_CHECKPOINT_FILE``; copies received by
    other departments may be added.
    """
    files = (
        list(checkpoint_files) if checkpoint_files is not None else [checkpoints.checkpoint_file()]
    )
    problems: list[ChainProblem] = []
    by_count: dict[int, list[checkpoints.Checkpoint]] = defaultdict(list)
    for entry in checkpoints.lines_for_this_database(files):
        if entry.error or entry.checkpoint is None:
            count = entry.checkpoint.count if entry.checkpoint else 0
            problems.append(
                ChainProblem(
                    count,
                    None,
                    "forged_checkpoint",
                    f"{entry.source} line {entry.line}: {entry.error}",
                )
            )
            continue
        by_count[entry.checkpoint.count].append(entry.checkpoint)
    valid = sum(len(found) for found in by_count.values())

    expected_prev, keyed_seen, legacy, checked = GENESIS, False, 0, 0
    events = AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size)
    for position, event in enumerate(events, start=1):
        checked = position
        kind = _row_problem(event, expected_prev, keyed_seen)
        if kind:
            problems.append(ChainProblem(position, event.pk, kind, _DETAILS[kind]))
        if event.version == LEGACY and not keyed_seen:
            legacy += 1
        keyed_seen = keyed_seen or event.version == KEYED
        for checkpoint in by_count.get(position, ()):
            if checkpoint.head_hash != event.hash or checkpoint.head_id != event.pk:
                problems.append(
                    ChainProblem(
                        position,
                        event.pk,
                        "checkpoint_mismatch",
                        f"not the row the checkpoint of {checkpoint.at} signed "
                        f"(event #{checkpoint.head_id}): rows up to here were rewritten, "
                        "inserted or deleted",
                    )
                )
            elif checkpoint.legacy != legacy:
                problems.append(
                    ChainProblem(
                        position,
                        event.pk,
                        "checkpoint_mismatch",
                        f"the checkpoint of {checkpoint.at} counted {checkpoint.legacy} "
                        f"unkeyed rows, the chain has {legacy}",
                    )
                )
        expected_prev = event.hash
    for count in sorted(c for c in by_count if c > checked):
        checkpoint = by_count[count][-1]
        problems.append(
            ChainProblem(
                checked + 1,
                None,
                "truncated",
                f"the checkpoint of {checkpoint.at} counted {count} events (last #"
                f"{checkpoint.head_id}), the chain ends at {checked}: rows were deleted at the end",
            )
        )
    problems.sort(key=lambda p: (p.position, p.kind))
    return ChainReport(checked=checked, problems=tuple(problems), checkpoints=valid, legacy=legacy)

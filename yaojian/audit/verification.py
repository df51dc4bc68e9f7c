"""Verifying the audit chain: finds edited, inserted and deleted rows by position."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from yaojian.audit.chain import GENESIS, digest_of
from yaojian.audit.models import AuditEvent


@dataclass(frozen=True)
class ChainProblem:
    """One break in the chain."""

    position: int  # 1-based position in id order
    event_id: int
    kind: str  # "edited" | "inserted_or_deleted"
    detail: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification."""

    checked: int
    problems: tuple[ChainProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _problems(batch_size: int) -> Iterator[tuple[int, ChainProblem | None]]:
    expected_prev = GENESIS
    events = AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size)
    for position, event in enumerate(events, start=1):
        problem = None
        if event.prev_hash != expected_prev:
            problem = ChainProblem(
                position,
                event.pk,
                "inserted_or_deleted",
                "previous-hash link broken: a row before this one was inserted or deleted",
            )
        elif digest_of(event, event.prev_hash) != event.hash:
            problem = ChainProblem(position, event.pk, "edited", "content does not match its hash")
        yield position, problem
        expected_prev = event.hash


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the whole chain and report every break."""
    problems: list[ChainProblem] = []
    checked = 0
    for checked, problem in _problems(batch_size):  # noqa: B007
        if problem is not None:
            problems.append(problem)
    return ChainReport(checked=checked, problems=tuple(problems))

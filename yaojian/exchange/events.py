"""Events the exchange app publishes (after commit)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BatchApplied:
    """An import batch was applied: the entities it touched and its counts."""

    batch_id: int
    public_id: str
    department_id: int
    source_kind: str
    entity_ids: tuple[int, ...]
    accepted: int
    rejected: int
    unchanged: int
    held: int

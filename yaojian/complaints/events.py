"""Domain events of complaints, published after commit (risk signals and credit react to them;
the reporter's identity is never in an event)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class ComplaintReceived:
    """A complaint or report was received (counted once: duplicates are not published)."""

    complaint_id: int
    complaint_public_id: UUID
    number: str
    kind: str
    topic: str
    department_id: int
    region_code: str
    entity_id: int | None
    products: str
    also_tell_department_id: int | None = None


@dataclass(frozen=True)
class ComplaintTransferred:
    """A matter in another department's remit was pushed to it."""

    complaint_id: int
    complaint_public_id: UUID
    number: str
    department_id: int
    to_department_id: int
    topic: str
    summary: str


@dataclass(frozen=True)
class ComplaintSubstantiated:
    """A report was confirmed by a penalty decision: the violation goes on the credit file of
    the entity the report named (``handlers.record_substantiated_on_credit``). Published from
    the delivery of ``CaseDecided``; ``decision_public_id`` is None for a decision without
    penalty items (nothing to record)."""

    complaint_id: int
    complaint_public_id: UUID
    number: str
    department_id: int
    region_code: str
    entity_id: int | None
    case_public_id: UUID | None
    topic: str
    decision_public_id: UUID | None = None


@dataclass(frozen=True)
class ComplaintOverdue:
    """A clock ran out: the superior department is told."""

    complaint_id: int
    number: str
    department_id: int
    clock: str
    due_on: str

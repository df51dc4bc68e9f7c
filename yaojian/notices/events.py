"""Events the notices app publishes (delivered after commit; ids and scalars only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProblemRecorded:
    """A department recorded a problem; ``notice_ids`` are the notices fanned out for it."""

    problem_id: str
    department_id: int
    category: str
    entity_id: str | None
    notice_ids: tuple[str, ...]


@dataclass(frozen=True)
class NoticeCreated:
    """A notice reached a department's inbox."""

    notice_id: str
    sender_department_id: int
    recipient_department_id: int
    source_app: str
    source_ref: str


@dataclass(frozen=True)
class NoticeStateChanged:
    """A notice moved from one state to another (read, acknowledged, answered, closed)."""

    notice_id: str
    from_state: str
    to_state: str
    sender_department_id: int
    recipient_department_id: int
    source_app: str
    source_ref: str


@dataclass(frozen=True)
class NoticeEscalated:
    """An overdue notice was escalated to level 1 (department head) or 2 (the level above)."""

    notice_id: str
    level: int
    recipient_department_id: int
    escalated_to_department_id: int | None

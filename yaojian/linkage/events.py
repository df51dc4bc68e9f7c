"""Events the linkage app publishes (frozen dataclasses, delivered after commit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LinkReviewResolved:
    """A human decided a queued link: ``confirmed`` (link to ``entity_id``) or ``rejected``.

    The app that queued the review (``source_app``, ``source_ref``) reacts: on ``rejected`` the
    exchange app creates a new entity from ``payload``.
    """

    review_id: int
    decision: str  # "confirmed" | "rejected"
    entity_id: int | None
    source_app: str
    source_ref: str
    payload: dict[str, Any] = field(default_factory=dict)
    actor_id: int | None = None
    department_id: int = 0

"""Domain events of credit, published after commit (inspections use them for frequency)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class GradeChanged:
    """An entity's credit grade changed (recomputation on an event or nightly)."""

    entity_id: int
    from_grade: str  # empty for the first grade
    to_grade: str
    score: int


@dataclass(frozen=True)
class EntityListed:
    """An entity was put on the serious-dishonesty list (approved listing)."""

    listing_id: int
    listing_public_id: UUID
    entity_id: int
    department_id: int
    listed_until: dt.date


@dataclass(frozen=True)
class EntityDelisted:
    """An entity left the serious-dishonesty list (expiry, early removal, revoked penalty)."""

    listing_id: int
    entity_id: int
    removal_kind: str
    removed_on: dt.date


@dataclass(frozen=True)
class CreditRepaired:
    """A record was repaired: its publication may stop early (DOMAIN.md §2.4 第14条)."""

    record_id: int
    entity_id: int | None
    origin_ref: str
    repaired_on: dt.date

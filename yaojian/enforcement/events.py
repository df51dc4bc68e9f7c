"""Domain events of enforcement, published after commit for the other apps.

Notices turn them into notices to the departments concerned; the portal publishes and
withdraws penalty information from them; credit (later) records them. Each event carries what
its subscribers need, so they never read enforcement's tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID


@dataclass(frozen=True)
class PenaltyPublication:
    """What the public may see of one decision (DOMAIN.md §2.4); personal data unmasked here —
    the portal masks it before display."""

    decision_public_id: UUID
    decision_number: str  # 文书号, e.g. 城市监处罚〔2026〕12号
    decided_on: dt.date
    department_id: int
    department_name: str
    region_code: str
    party_name: str
    party_credit_code: str  # empty for a natural person
    party_is_person: bool
    legal_representative: str
    violation: str  # 主要违法事实
    legal_basis: str  # 处罚依据, articles cited
    penalty_summary: str  # 处罚内容, in words
    penalty_kinds: tuple[str, ...]  # enforcement.choices.PenaltyKind values
    fine_amount: Decimal | None
    confiscated_amount: Decimal | None
    simple_procedure: bool  # 简易程序: not published
    restriction_years: int | None = None  # bans on business or practice longer than 3 years
    restriction_lifetime: bool = False  # a lifetime ban (终身禁业): longer than any term
    entity_public_id: UUID | None = None


@dataclass(frozen=True)
class CaseFiled:
    case_id: int
    case_public_id: UUID
    number: str
    department_id: int
    region_code: str
    entity_id: int | None
    title: str
    participant_department_ids: tuple[int, ...] = ()
    actor_id: int | None = None


@dataclass(frozen=True)
class CaseDecided:
    case_id: int
    case_public_id: UUID
    number: str
    department_id: int
    region_code: str
    entity_id: int | None
    decision_id: int
    publication: PenaltyPublication | None
    participant_department_ids: tuple[int, ...] = ()
    actor_id: int | None = None


@dataclass(frozen=True)
class DecisionChanged:
    """A decision was changed, revoked or declared void: publications must follow in 3 wd."""

    decision_public_id: UUID
    change: str  # "changed" | "revoked" | "void"
    changed_on: dt.date
    department_id: int
    publication: PenaltyPublication | None = None  # the new content when changed
    case_public_id: UUID | None = None
    actor_id: int | None = None


@dataclass(frozen=True)
class LicenceRevoked:
    case_id: int
    case_public_id: UUID
    licence_id: int
    entity_id: int
    department_id: int
    region_code: str
    licence_kind: str = ""
    actor_id: int | None = None


@dataclass(frozen=True)
class CaseClosed:
    case_id: int
    case_public_id: UUID
    department_id: int
    region_code: str
    entity_id: int | None
    participant_department_ids: tuple[int, ...] = field(default_factory=tuple)
    actor_id: int | None = None

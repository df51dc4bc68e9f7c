"""Domain events of referrals, published after commit (notices and webhooks react to them)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class ReferralMade:
    """A case was transferred to a police department."""

    referral_id: int
    referral_public_id: UUID
    case_public_id: UUID
    case_number: str
    department_id: int
    police_department_id: int
    suspected_crime: str
    actor_id: int | None


@dataclass(frozen=True)
class ReferralAnswered:
    """The police answered: ``answer`` is accepted, declined, upheld or forwarded."""

    referral_id: int
    referral_public_id: UUID
    case_number: str
    department_id: int
    police_department_id: int
    answer: str
    reasons: str
    actor_id: int | None

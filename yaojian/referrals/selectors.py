"""Reads of referrals: scoped lists, the single-object chokepoint, police departments."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.models import Department
from yaojian.referrals.choices import OPEN_STATES
from yaojian.referrals.models import Referral
from yaojian.territory.selectors import departments_covering


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def referral_subject(referral: Referral) -> str:
    """The documents subject of a referral's documents."""
    return f"referrals.referral:{referral.public_id}"


def referrals_visible_to(user: Any, action: str = "view") -> QuerySet[Referral]:
    """Referrals the user may ``action``, newest first."""
    return (
        Referral.objects.visible_to(user, action)
        .select_related("case", "department", "police_department")
        .order_by("-reported_at", "-id")
    )


def get_referral_for_user(user: Any, public_id: Any, action: str = "view") -> Referral:
    """One referral, or ``Referral.DoesNotExist`` for missing and forbidden alike."""
    key = _uuid(public_id)
    if key is None:
        raise Referral.DoesNotExist
    return (
        Referral.objects.visible_to(user, action)
        .select_related("case", "case__region", "department", "police_department", "reported_by")
        .get(public_id=key)
    )


def can(user: Any, referral: Referral, action: str) -> bool:
    """True if ``user`` may ``action`` (change / approve / answer) this referral."""
    return Referral.objects.visible_to(user, action).filter(pk=referral.pk).exists()


def referrals_of_case(user: Any, case: Any) -> QuerySet[Referral]:
    """The case's referrals the user may see."""
    return referrals_visible_to(user).filter(case=case)


def open_referral_of_case(case_id: int) -> Referral | None:
    """The case's open referral, unscoped (for event handlers)."""
    return (
        Referral.objects.filter(case_id=case_id, state__in=sorted(OPEN_STATES))
        .select_related("case", "department")
        .first()
    )


def police_departments_for(case: Any) -> list[Department]:
    """Active police departments whose jurisdiction covers the case's region, the most local
    first (the same-level police department of 第5条 is normally the first)."""
    return departments_covering(case.region_id, kinds=(DepartmentKind.PUBLIC_SECURITY,))


def other_police_departments(referral: Referral) -> QuerySet[Department]:
    """Police departments a referral may be forwarded to."""
    return Department.objects.filter(kind=DepartmentKind.PUBLIC_SECURITY, is_active=True).exclude(
        pk=referral.police_department_id or 0
    )

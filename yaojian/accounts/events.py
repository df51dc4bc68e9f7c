"""Events the accounts app publishes (ids and scalars only), after the change commits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MembershipAdded:
    """A user became a member of a department with a role."""

    membership_id: int
    user_id: int
    department_id: int
    role: str


@dataclass(frozen=True)
class MembershipEnded:
    """A membership was ended."""

    membership_id: int
    user_id: int
    department_id: int
    role: str


@dataclass(frozen=True)
class ShareGranted:
    """A department opened a kind of its data to another department."""

    grant_id: int
    grantor_id: int
    grantee_id: int
    data_kind: str


@dataclass(frozen=True)
class ShareRevoked:
    """A share grant was revoked."""

    grant_id: int
    grantor_id: int
    grantee_id: int
    data_kind: str

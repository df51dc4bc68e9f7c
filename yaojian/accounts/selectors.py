"""Reads of the accounts app: departments, memberships, share grants, and who may manage them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import QuerySet

from yaojian.accounts.models import Department, Membership, ShareGrant, User
from yaojian.accounts.scoping import scope_for


def departments_visible_to(user: Any) -> QuerySet[Department]:
    """The department directory as ``user`` may see it."""
    return Department.objects.visible_to(user).select_related("region", "parent")


def get_department_for_user(user: Any, public_id: Any) -> Department:
    """One department, or ``Department.DoesNotExist`` when missing or not visible."""
    return departments_visible_to(user).get(public_id=public_id)


def department_and_above(department: Department) -> list[int]:
    """Primary keys of ``department`` and every department above it (nearest first)."""
    ids: list[int] = []
    current: Department | None = department
    while current is not None and current.pk not in ids:
        ids.append(current.pk)
        current = current.parent
    return ids


def holds_permission_over(user: Any, permission: str, department: Department) -> bool:
    """True if ``user`` holds ``permission`` in ``department`` or in a department above it."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    holders = {m.department_id for m in scope.members_with(permission)}
    if not holders:
        return False
    return bool(holders.intersection(department_and_above(department)))


def can_manage_memberships(user: Any, department: Department) -> bool:
    """May ``user`` add members to and remove members from ``department``?"""
    return holds_permission_over(user, "accounts.change_membership", department)


def can_grant_share(user: Any, grantor: Department) -> bool:
    """May ``user`` open ``grantor``'s data to another department?"""
    return holds_permission_over(user, "accounts.add_sharegrant", grantor)


def can_revoke_share(user: Any, grant: ShareGrant) -> bool:
    """May ``user`` revoke ``grant``?"""
    return holds_permission_over(user, "accounts.change_sharegrant", grant.grantor)


def can_view_department_details(user: Any, department: Department) -> bool:
    """May ``user`` see the members and share grants of ``department``?

    Members of the department may; so may anyone holding ``accounts.view_membership`` in it
    or in a department above it.
    """
    scope = scope_for(user)
    if scope.is_superuser or department.pk in scope.department_ids:
        return True
    return holds_permission_over(user, "accounts.view_membership", department)


def department_members(department: Department) -> QuerySet[Membership]:
    """Active memberships of ``department``."""
    return (
        Membership.objects.filter(department=department, is_active=True)
        .select_related("user")
        .order_by("user__username", "role")
    )


def get_active_membership(department: Department, *, user_public_id: Any, role: str) -> Membership:
    """One active membership of ``department``, or ``Membership.DoesNotExist``."""
    return Membership.objects.select_related("user", "department").get(
        department=department, user__public_id=user_public_id, role=role, is_active=True
    )


def grants_given(department: Department) -> QuerySet[ShareGrant]:
    """Grants in force that ``department`` gave."""
    return (
        ShareGrant.objects.filter(ShareGrant.active_q(), grantor=department)
        .select_related("grantee")
        .order_by("grantee__code", "data_kind")
    )


def grants_received(department: Department) -> QuerySet[ShareGrant]:
    """Grants in force that ``department`` received."""
    return (
        ShareGrant.objects.filter(ShareGrant.active_q(), grantee=department)
        .select_related("grantor")
        .order_by("grantor__code", "data_kind")
    )


def get_grant_for_user(user: Any, public_id: Any) -> ShareGrant:
    """A grant ``user`` may see (its grantor or grantee is visible), else ``DoesNotExist``."""
    grant = ShareGrant.objects.select_related("grantor", "grantee").get(public_id=public_id)
    if not (
        can_view_department_details(user, grant.grantor)
        or can_view_department_details(user, grant.grantee)
    ):
        raise ShareGrant.DoesNotExist
    return grant


def find_user(username: str) -> User | None:
    """The active user with exactly this username, or ``None``."""
    return User.objects.filter(username=username, is_active=True).first()


@dataclass(frozen=True)
class MembershipSummary:
    """One of my memberships with what its role lets me do."""

    membership: Membership
    permissions: tuple[tuple[str, str], ...]  # (codename, readable name)


@dataclass(frozen=True)
class Profile:
    """What the profile page shows about the signed-in user."""

    memberships: tuple[MembershipSummary, ...]
    grants_received: tuple[ShareGrant, ...]
    grants_given: tuple[ShareGrant, ...]

    @property
    def grants(self) -> tuple[ShareGrant, ...]:
        """The grants received, then those given (one table on the profile page)."""
        return self.grants_received + self.grants_given


def _permission_names(codes: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    apps = {code.split(".", 1)[0] for code in codes}
    rows = Permission.objects.filter(content_type__app_label__in=apps).values_list(
        "content_type__app_label", "codename", "name"
    )
    for app_label, codename, name in rows:
        names[f"{app_label}.{codename}"] = name
    return names


def profile_of(user: Any) -> Profile:
    """The signed-in user's departments, roles, permissions and the grants in force for them."""
    scope = scope_for(user)
    memberships = list(
        Membership.objects.filter(user=user, is_active=True, department__is_active=True)
        .select_related("department", "department__region")
        .order_by("department__code", "role")
    )
    by_key = {(m.department_id, m.role): m.permissions for m in scope.members}
    all_codes = {code for perms in by_key.values() for code in perms}
    names = _permission_names(all_codes) if all_codes else {}
    summaries = tuple(
        MembershipSummary(
            membership=m,
            permissions=tuple(
                (code, names.get(code, code))
                for code in sorted(by_key.get((m.department_id, m.role), ()))
            ),
        )
        for m in memberships
    )
    department_ids = sorted({m.department_id for m in memberships})
    received = ShareGrant.objects.filter(
        ShareGrant.active_q(), grantee_id__in=department_ids
    ).select_related("grantor", "grantee")
    given = ShareGrant.objects.filter(
        ShareGrant.active_q(), grantor_id__in=department_ids
    ).select_related("grantor", "grantee")
    return Profile(
        memberships=summaries, grants_received=tuple(received), grants_given=tuple(given)
    )

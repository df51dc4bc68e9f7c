"""Reads of the accounts app: departments, memberships, share grants, and who may manage them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import QuerySet

from yaojian.accounts.models import Department, Membership, ShareGrant, User
from yaojian.accounts.scoping import MemberScope, Scope, member_scope, scope_for


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


# Who is calling, in one statement: the user, the user's active memberships and the share
# grants their departments received (one row per membership and grant); for the API's token
# authentication the token too, for a session the user by id. The same filters as
# ``scoping._build_scope``; memberships in the same order (department code, role).
_HOLDER_SQL = """
    SELECT u.*, {created} AS token_created,
           m.department_id AS m_department, d.region_id AS m_region, m.role AS m_role,
           d.kind AS m_kind, d.name AS m_name, g.data_kind AS g_kind, g.grantor_id AS g_grantor
    FROM {source}
    LEFT JOIN (
        accounts_membership m
        JOIN accounts_department d ON d.id = m.department_id AND d.is_active = %s
    ) ON m.user_id = u.id AND m.is_active = %s
    LEFT JOIN accounts_sharegrant g
      ON g.grantee_id = m.department_id AND g.revoked_at IS NULL AND g.valid_from <= %s
     AND (g.expires_at IS NULL OR g.expires_at > %s)
    WHERE {where}
    ORDER BY d.code, m.role, g.id
"""
_TOKEN_HOLDER_SQL = _HOLDER_SQL.format(
    created="t.created",
    source="authtoken_token t JOIN accounts_user u ON u.id = t.user_id",
    where="t.key = %s",
)
_USER_HOLDER_SQL = _HOLDER_SQL.format(created="NULL", source="accounts_user u", where="u.id = %s")


@dataclass(frozen=True)
class TokenHolder:
    """The user a token belongs to, when the token was made, and the user's scope."""

    user: User
    token_created: Any
    scope: Scope


def _holder(sql: str, key: Any) -> TokenHolder | None:
    from django.db import connection
    from django.utils import timezone

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows: list[Any] = list(User.objects.raw(sql, [True, True, now, now, key]))
    if not rows:
        return None
    user = rows[0]
    if user.is_superuser:
        return TokenHolder(user, rows[0].token_created, Scope(is_superuser=True))
    members: dict[tuple[int, str], MemberScope] = {}  # in the rows' order
    grants: dict[str, dict[int, set[int]]] = {}
    for row in rows:
        if row.m_department is None:
            continue
        if (row.m_department, row.m_role) not in members:
            members[(row.m_department, row.m_role)] = member_scope(
                row.m_department, row.m_region, row.m_role, row.m_kind, row.m_name
            )
        if row.g_kind is not None:
            grants.setdefault(row.g_kind, {}).setdefault(row.m_department, set()).add(row.g_grantor)
    frozen = {
        kind: {grantee: frozenset(ids) for grantee, ids in by.items()}
        for kind, by in grants.items()
    }
    scope = Scope(members=tuple(members.values()), grants=frozen)
    return TokenHolder(user, rows[0].token_created, scope)


def token_holder(key: str) -> TokenHolder | None:
    """The holder of API token ``key`` with their scope, in one statement (``None`` when no
    such token). The scope is what :func:`~yaojian.accounts.scoping.scope_for` would compute
    (superusers: everything; otherwise the active memberships in active departments and the
    grants in force)."""
    return _holder(_TOKEN_HOLDER_SQL, key)


def user_with_scope(user_id: Any) -> TokenHolder | None:
    """The user ``user_id`` of a session with their scope, in one statement (``None`` when no
    such user): what the session's ``get_user`` and the first ``scope_for`` would read in
    three."""
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    return _holder(_USER_HOLDER_SQL, pk)

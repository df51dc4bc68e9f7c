"""The scoping engine: the one chokepoint that decides who sees and changes what.

Rules (docs/subsystems/permissions.md):

* A member of a department sees rows whose region lies in that department's jurisdiction
  (its region and everything below it).
* Department-owned data (``scope_department_field`` set) is further limited to rows owned by
  the member's department, or by a department that gave it an active ShareGrant for the
  model's ``scope_share_kind``.
* Any action other than ``view`` needs the permission ``<app>.<action>_<model>`` from the
  member's role in that department, and never travels through a ShareGrant.
* Oversight: leaders and department heads (``accounts.oversee_jurisdiction``) also *view* the
  department-owned work of the departments below them in their jurisdiction: their own kind,
  and, for drug regulators, the market regulators that carry county-level drug regulation
  (:func:`overseen_department_ids`). The apps whose rows belong to departments (cases, notices,
  alerts) add these departments to what their members may view; no other action travels.
* Superusers see everything; anonymous and inactive users see nothing.

Every scoped model's manager is built from :class:`ScopedQuerySet`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from django.db import models
from django.db.models import Q

from yaojian.territory.codes import subtree_prefix, subtree_q

_M = TypeVar("_M", bound=models.Model)
_CACHE_ATTR = "_yaojian_scope"
_OVERSIGHT_ATTR = "_yaojian_oversight"
_MEMBERSHIPS_ATTR = "_yaojian_memberships"

OVERSEE = "accounts.oversee_jurisdiction"
# Which kinds of department a member of a department of each kind looks over (own kind else).
OVERSIGHT_KINDS: dict[str, tuple[str, ...]] = {
    "drug_regulator": ("drug_regulator", "market_regulator"),
}


@dataclass(frozen=True)
class MemberScope:
    """One active membership, reduced to what scoping needs."""

    department_id: int
    prefix: str
    role: str
    permissions: frozenset[str]
    department_kind: str = ""


@dataclass(frozen=True)
class Scope:
    """Everything the scoping rules need to know about one user."""

    is_superuser: bool = False
    members: tuple[MemberScope, ...] = ()
    # data kind -> {grantee department id -> set of grantor department ids}
    grants: dict[str, dict[int, frozenset[int]]] = field(default_factory=dict)

    @property
    def department_ids(self) -> frozenset[int]:
        return frozenset(m.department_id for m in self.members)

    def members_with(self, permission: str | None) -> list[MemberScope]:
        """The memberships that hold ``permission`` (all of them for ``None``)."""
        if permission is None:
            return list(self.members)
        return [m for m in self.members if permission in m.permissions]

    def grantors(self, kind: str | None, grantee_id: int) -> frozenset[int]:
        """Departments that opened data of ``kind`` to ``grantee_id``."""
        if kind is None:
            return frozenset()
        return self.grants.get(kind, {}).get(grantee_id, frozenset())


EMPTY_SCOPE = Scope()


def scope_for(user: Any) -> Scope:
    """Compute (once per user object) the user's scope."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    scope = _build_scope(user)
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after memberships or grants change)."""
    for attr in (_CACHE_ATTR, _OVERSIGHT_ATTR, _MEMBERSHIPS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def _build_scope(user: Any) -> Scope:
    from yaojian.accounts.models import ShareGrant
    from yaojian.accounts.roles import permissions_for_role

    if user.is_superuser:
        return Scope(is_superuser=True)
    # One query serves the scope and the shell's "my departments" (active_memberships).
    memberships = _load_memberships(user)
    members = tuple(
        MemberScope(
            department_id=m.department_id,
            prefix=subtree_prefix(m.department.region_id),
            role=m.role,
            permissions=permissions_for_role(m.role),
            department_kind=m.department.kind,
        )
        for m in memberships
        if m.department.is_active
    )
    grants: dict[str, dict[int, set[int]]] = {}
    dept_ids = {m.department_id for m in members}
    if dept_ids:
        for kind, grantee, grantor in ShareGrant.objects.filter(
            ShareGrant.active_q(), grantee_id__in=dept_ids
        ).values_list("data_kind", "grantee_id", "grantor_id"):
            grants.setdefault(kind, {}).setdefault(grantee, set()).add(grantor)
    frozen = {
        kind: {grantee: frozenset(ids) for grantee, ids in by.items()}
        for kind, by in grants.items()
    }
    return Scope(members=members, grants=frozen)


def _load_memberships(user: Any) -> list[Any]:
    from yaojian.accounts.models import Membership

    memberships = list(
        Membership.objects.filter(user=user, is_active=True).select_related("department")
    )
    setattr(user, _MEMBERSHIPS_ATTR, memberships)
    return memberships


def active_memberships(user: Any) -> list[Any]:
    """The user's active memberships with their departments (the shell shows them), read once
    per user object together with the scope."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _MEMBERSHIPS_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    return _load_memberships(user)


def has_permission(user: Any, permission: str) -> bool:
    """True if any of the user's memberships grants ``permission``."""
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.members_with(permission))


def has_permission_in_region(user: Any, permission: str, region_code: str) -> bool:
    """True if a membership whose jurisdiction covers ``region_code`` grants ``permission``."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return any(region_code.startswith(m.prefix) for m in scope.members_with(permission))


def overseen_department_ids(user: Any, permission: str | None = None) -> frozenset[int] | None:
    """Departments whose work the user's overseeing memberships view (``None``: superuser).

    Only memberships that hold :data:`OVERSEE` (and ``permission``, when given) count; each
    covers the active departments of the kinds in :data:`OVERSIGHT_KINDS` whose region lies
    in its jurisdiction, its own department included. One query, once per user object.
    """
    from yaojian.accounts.models import Department

    scope = scope_for(user)
    if scope.is_superuser:
        return None
    members = [
        m for m in scope.members_with(OVERSEE) if permission is None or permission in m.permissions
    ]
    if not members:
        return frozenset()
    # Keyed by the memberships that count (not the permission): the permissions a page asks
    # about usually pick the same memberships, so one query serves them all.
    key = tuple(sorted(m.department_id for m in members))
    cache: dict[tuple[int, ...], frozenset[int]] = getattr(user, _OVERSIGHT_ATTR, None) or {}
    if key in cache:
        return cache[key]
    q = Q(pk__in=[])
    for member in members:
        kind = member.department_kind
        q |= subtree_q("region", member.prefix) & Q(kind__in=OVERSIGHT_KINDS.get(kind, (kind,)))
    result = frozenset(
        Department.objects.filter(q, is_active=True).values_list("pk", flat=True)
    ) | frozenset(m.department_id for m in members)
    cache[key] = result
    setattr(user, _OVERSIGHT_ATTR, cache)
    return result


def jurisdiction_q(user: Any, region_field: str, permission: str | None = None) -> Q:
    """Rows whose ``region_field`` (a FK to territory.Region) lies in the user's jurisdictions."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for prefix in sorted({m.prefix for m in scope.members_with(permission)}):
        q |= subtree_q(region_field, prefix)
    return q


def scope_q(
    user: Any,
    *,
    region_field: str | None,
    department_field: str | None,
    share_kind: str | None,
    permission: str | None,
) -> Q:
    """The filter for one model's rows that ``user`` may act on.

    ``permission`` is ``None`` for plain viewing; with a permission, ShareGrants do not
    apply and the membership must hold it.
    """
    scope = scope_for(user)
    if scope.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for member in scope.members_with(permission):
        part = Q()
        if region_field is not None:
            part &= subtree_q(region_field, member.prefix)
        if department_field is not None:
            owners = {member.department_id}
            if permission is None:
                owners |= scope.grantors(share_kind, member.department_id)
            part &= Q(**{f"{department_field}__in": sorted(owners)})
        if not part:  # no restriction at all for this membership
            return Q()
        q |= part
    return q


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset that knows how the model is scoped; subclasses set the class attributes."""

    scope_region_field: ClassVar[str | None] = "region"
    scope_department_field: ClassVar[str | None] = None
    scope_share_kind: ClassVar[str | None] = None
    # Permission needed merely to view (None: any membership in the jurisdiction).
    scope_view_permission: ClassVar[str | None] = None

    def visible_to(self, user: Any, action: str = "view") -> ScopedQuerySet[_M]:
        """Rows ``user`` may ``action`` (``view``, ``change``, ``delete`` …)."""
        if action == "view":
            permission = self.scope_view_permission
        else:
            meta = self.model._meta
            permission = f"{meta.app_label}.{action}_{meta.model_name}"
        return self.filter(
            scope_q(
                user,
                region_field=self.scope_region_field,
                department_field=self.scope_department_field,
                share_kind=self.scope_share_kind,
                permission=permission,
            )
        )

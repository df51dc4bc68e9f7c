"""Which of a user's departments may act on cases: the scoping rules of enforcement.

* A case belongs to its lead department; participating departments see its header, their
  own tasks and the documents shared with them.
* Members of police departments (``public_security``) see nothing of cases here: the
  referrals app shows them what was transferred to them.
* Leaders and heads view the cases led by the departments they oversee (``accounts.scoping``).
* Superusers (the system) see everything.
"""

from __future__ import annotations

from typing import Any

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.scoping import OVERSEE, overseen_department_ids, scope_for

_CACHE_ATTR = "_yaojian_enforcement_departments"

_NON_POLICE = "__non_police__"

VIEW_CASE = "enforcement.view_case"

ALL = None  # sentinel meaning "every department" (superuser)


def departments_with(user: Any, permission: str) -> frozenset[int] | None:
    """Ids of the user's non-police departments whose role grants ``permission``.

    ``None`` means every department (a superuser).
    """
    scope = scope_for(user)
    if scope.is_superuser:
        return ALL
    cache: dict[str, frozenset[int]] | None = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        if user is not None and getattr(user, "is_authenticated", False):
            setattr(user, _CACHE_ATTR, cache)
    if permission in cache:
        return cache[permission]
    if _NON_POLICE not in cache:
        # The scope already knows each department's kind: no query.
        cache[_NON_POLICE] = frozenset(
            m.department_id
            for m in scope.members_with(None)
            if m.department_kind != DepartmentKind.PUBLIC_SECURITY
        )
    result = frozenset(
        m.department_id
        for m in scope.members_with(permission)
        if m.department_id in cache[_NON_POLICE]
    )
    if permission == VIEW_CASE:
        # Leaders and heads view the cases of the departments below them (scoping's oversight).
        result |= overseen_department_ids(user, permission) or frozenset()
    cache[permission] = result
    return result


def holds_anywhere(user: Any, permission: str) -> bool:
    """``departments_with(user, permission)`` is not empty, answered from the memberships
    alone: the oversight's departments always include the overseer's own, so a leader's
    "may list cases" needs no query (the left menu asks on every page)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    cache: dict[str, frozenset[int]] | None = getattr(user, _CACHE_ATTR, None)
    if cache is not None and permission in cache:
        return bool(cache[permission])
    if any(
        m.department_kind != DepartmentKind.PUBLIC_SECURITY for m in scope.members_with(permission)
    ):
        return True
    return permission == VIEW_CASE and any(
        permission in m.permissions for m in scope.members_with(OVERSEE)
    )


def forget(user: Any) -> None:
    """Drop the cached departments (tests change memberships)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def acts_for(user: Any, permission: str, department_id: int) -> bool:
    """True if the user holds ``permission`` in department ``department_id``."""
    ids = departments_with(user, permission)
    return ids is ALL or department_id in ids

"""Template context: the signed-in user's departments and roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from yaojian.accounts.choices import Role
from yaojian.accounts.scoping import scope_for


@dataclass(frozen=True)
class ShownMembership:
    """One active membership as the shell shows it: the department's name and the role."""

    department_name: str
    role: str

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role


def shown_memberships(user: Any) -> list[ShownMembership]:
    """The user's active memberships in active departments, by department code.

    Read from the user's scope, which every page builds anyway: no query of its own, except
    for a superuser (whose scope lists no memberships).
    """
    scope = scope_for(user)
    if not scope.is_superuser:
        return [ShownMembership(m.department_name, m.role) for m in scope.members]
    return [
        ShownMembership(name, role)
        for name, role in user.memberships.filter(is_active=True, department__is_active=True)
        .order_by("department__code", "role")
        .values_list("department__name", "role")
    ]


def membership(request: HttpRequest) -> dict[str, Any]:
    """Expose ``my_memberships`` (lazily) to every template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_memberships": []}

    loaded: list[list[ShownMembership]] = []

    def load() -> list[ShownMembership]:
        # A template calls this each time it names ``my_memberships``: computed once.
        if not loaded:
            loaded.append(shown_memberships(user))
        return loaded[0]

    return {"my_memberships": load}

"""Template context: the signed-in user's departments and roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from yaojian.accounts.scoping import active_memberships


def membership(request: HttpRequest) -> dict[str, Any]:
    """Expose ``my_memberships`` (lazily) to every template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_memberships": []}

    def load() -> list[Any]:
        # Read with the user's scope (one query per request, none when the scope was built).
        return active_memberships(user)

    return {"my_memberships": load}

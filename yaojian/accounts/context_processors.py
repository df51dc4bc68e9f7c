"""Template context: the signed-in user's departments and roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def membership(request: HttpRequest) -> dict[str, Any]:
    """Expose ``my_memberships`` (lazily) to every template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_memberships": []}

    loaded: list[list[Any]] = []

    def load() -> list[Any]:
        # A template calls this each time it names ``my_memberships``: one query per request.
        if not loaded:
            loaded.append(
                list(user.memberships.filter(is_active=True).select_related("department"))
            )
        return loaded[0]

    return {"my_memberships": load}

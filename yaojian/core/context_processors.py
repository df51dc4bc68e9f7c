"""Template context of the shell: the user's menu, the breadcrumbs and the page's help.

Everything is computed only when a template uses it (Django calls a callable context value
on first use and the shell caches the menu per request)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from yaojian.core import pagehelp
from yaojian.core.menu import menu_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """Expose ``menu``, ``menu_active`` (the group and item holding this page) and
    ``page_help``."""
    match = getattr(request, "resolver_match", None)
    help_entry = pagehelp.for_view(match.view_name if match else None)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "menu_active": None, "page_help": help_entry}
    cache: dict[str, Any] = {}

    def menu() -> list[dict[str, Any]]:
        if "menu" not in cache:
            cache["menu"] = menu_for(user, request.path)
        return cache["menu"]  # type: ignore[no-any-return]

    def active() -> dict[str, Any] | None:
        for entry in menu():
            for item in entry["items"]:
                if item["active"]:
                    return {"group": entry["group"], "item": item}
        return None

    return {"menu": menu, "menu_active": active, "page_help": help_entry}

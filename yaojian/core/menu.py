"""The left menu: items that apps contribute, grouped by function, filtered per user (ADR 0015).

Each app lists its pages in ``<app>/menu.py``, which calls :func:`register` at import time;
:meth:`CoreConfig.ready` imports every installed app's ``menu`` module (like the admin's
autodiscovery), so core never names an app. An item carries the predicate its view applies
(``allowed(user) -> bool``; ``None`` means any signed-in user may open the page): the menu shows
an item only when that predicate holds, so a menu link never answers 403. Groups without a
visible item are hidden. ``tests`` check, per demo role, that every shown item answers 200 and
every hidden one answers 403 or 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

Predicate = Callable[[Any], bool]


@dataclass(frozen=True)
class Group:
    """A heading of the menu: what the user does there."""

    key: str
    label: Any
    icon: str
    order: int


# The functions of the platform, in menu order (issue 10). Apps to come (credit, inspections,
# complaints, risk and campaigns, statistics) add their pages to these groups.
GROUPS: dict[str, Group] = {
    group.key: group
    for group in (
        Group("records", _("Entity records"), "building-store", 10),
        Group("sharing", _("Information sharing"), "arrows-exchange", 20),
        Group("cases", _("Case handling"), "gavel", 30),
        Group("credit", _("Credit"), "rosette-discount-check", 40),
        Group("inspections", _("Inspections"), "checklist", 50),
        Group("risk", _("Risk and campaigns"), "alert-triangle", 60),
        Group("complaints", _("Complaints and reports"), "message-report", 70),
        Group("statistics", _("Statistics"), "chart-bar", 80),
        Group("admin", _("System administration"), "settings", 90),
    )
}


@dataclass(frozen=True)
class MenuItem:
    """One page in the menu."""

    key: str
    group: str
    label: Any  # a lazy translation
    url_name: str
    icon: str = "chevron-right"
    allowed: Predicate | None = None
    order: int = 100

    def is_allowed(self, user: Any) -> bool:
        """The same answer the page's view gives: may ``user`` open it?"""
        if not getattr(user, "is_authenticated", False):
            return False
        return True if self.allowed is None else bool(self.allowed(user))


_ITEMS: dict[str, MenuItem] = {}


def register(
    key: str,
    *,
    group: str,
    label: Any,
    url_name: str,
    icon: str = "chevron-right",
    allowed: Predicate | None = None,
    order: int = 100,
) -> None:
    """Add (or replace) a menu item; idempotent. ``group`` is a key of :data:`GROUPS`."""
    if group not in GROUPS:
        raise ValueError(f"unknown menu group {group!r}")
    _ITEMS[key] = MenuItem(key, group, label, url_name, icon, allowed, order)


def all_items() -> list[MenuItem]:
    """Every registered item, in menu order (for tests and the docs)."""
    return sorted(_ITEMS.values(), key=lambda i: (GROUPS[i.group].order, i.order, i.key))


def _url(item: MenuItem) -> str | None:
    # Every page draws the whole menu: reverse each item once per URL configuration.
    return _reverse(item.url_name, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=1024)
def _reverse(url_name: str, prefix: str, urlconf: Any) -> str | None:
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def menu_for(user: Any, path: str = "") -> list[dict[str, Any]]:
    """The groups the user sees, each with its visible items; the item holding ``path`` is
    active (the longest matching URL wins, so ``/enforcement/cases/x`` is "Cases", not "My
    work")."""
    visible: list[tuple[MenuItem, str]] = []
    for item in all_items():
        url = _url(item)
        if url is not None and item.is_allowed(user):
            visible.append((item, url))
    active_url = max((url for _item, url in visible if path.startswith(url)), key=len, default=None)
    groups: dict[str, dict[str, Any]] = {}
    for item, url in visible:
        group = GROUPS[item.group]
        entry = groups.setdefault(group.key, {"group": group, "items": [], "active": False})
        is_active = url == active_url
        entry["items"].append({"item": item, "url": url, "active": is_active})
        entry["active"] = entry["active"] or is_active
    return list(groups.values())

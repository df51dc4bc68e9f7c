"""Help in place: a short text per page (what it is for, what the states mean), shown by the
"?" button of the page header and linked to the user guide's section (ADR 0015).

Apps register their pages' help in ``<app>/menu.py`` next to their menu items, keyed by the
URL name: ``pagehelp.register("registry:entity_list", _("…"), anchor="查找监管对象")``. The
anchor is the GitHub-style anchor of a heading in docs/user-guide/README.md (served at /help/).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageHelp:
    text: Any  # a lazy translation
    anchor: str = ""


_HELP: dict[str, PageHelp] = {}


def register(url_name: str, text: Any, *, anchor: str = "") -> None:
    """Add (or replace) the help of the page named ``url_name``; idempotent."""
    _HELP[url_name] = PageHelp(text, anchor)


def for_view(view_name: str | None) -> PageHelp | None:
    """The help of a page, by its resolved view name (``app:name``)."""
    return _HELP.get(view_name or "")


def registered() -> dict[str, PageHelp]:
    return dict(_HELP)

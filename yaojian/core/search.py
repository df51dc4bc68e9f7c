"""The global search box: providers that apps contribute (ADR 0015).

Each app that owns something people look up by name or number lists a provider in
``<app>/search.py`` with :func:`register`; :meth:`CoreConfig.ready` imports those modules. A
provider is a function ``(user, q, limit) -> list[Hit]`` that searches through the app's own
scoped selectors (``visible_to``), so a user finds only what the user may see. The query is
plain text: it reaches the database only as ORM parameters and the page escapes every hit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_QUERY = 100
PER_PROVIDER = 10


@dataclass(frozen=True)
class Hit:
    """One result: what it is, a line about it, where it lives."""

    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Provider:
    key: str
    label: Any  # a lazy translation: the heading of the provider's results
    icon: str
    search: Callable[[Any, str, int], list[Hit]]
    order: int = 100


_PROVIDERS: dict[str, Provider] = {}


def register(
    key: str,
    label: Any,
    search: Callable[[Any, str, int], list[Hit]],
    *,
    icon: str = "search",
    order: int = 100,
) -> None:
    """Add (or replace) a search provider; idempotent."""
    _PROVIDERS[key] = Provider(key, label, icon, search, order)


def providers() -> list[Provider]:
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.key))


def clean_query(raw: Any) -> str:
    """The query as searched: text, stripped, control characters dropped, at most 100 chars."""
    text = str(raw or "")
    text = "".join(ch for ch in text if ch.isprintable())
    return text.strip()[:MAX_QUERY]


def search(user: Any, q: str, limit: int = PER_PROVIDER) -> list[dict[str, Any]]:
    """Every provider's hits for ``q`` (providers with no hit are left out)."""
    q = clean_query(q)
    if not q:
        return []
    sections = []
    for provider in providers():
        hits = provider.search(user, q, limit)
        if hits:
            sections.append({"provider": provider, "hits": hits[:limit]})
    return sections

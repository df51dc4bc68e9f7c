"""Lazily loaded cards that upper apps add to a lower app's page (ADR 0008).

A page owner (the registry's entity profile, enforcement's case page) keeps one
:class:`PanelRegistry`; an app above it registers a panel from its ``AppConfig.ready()``, naming
a URL that takes the object's ``public_id`` and answers an HTML fragment (doing its own
scoping). The page renders ``components/panels.html``: one card per panel, fetched by htmx when
the page loads (and again on the panel's ``refresh_on`` events). No import goes upwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Panel:
    """One lazily loaded card."""

    key: str
    title: Any  # a lazy translation
    url_name: str
    order: int = 100
    refresh_on: str = ""  # extra htmx trigger events, e.g. "notices-changed from:body"


class PanelRegistry:
    """The panels of one kind of page."""

    def __init__(self) -> None:
        self._panels: dict[str, Panel] = {}

    def register(
        self, key: str, title: Any, url_name: str, *, order: int = 100, refresh_on: str = ""
    ) -> None:
        """Add (or replace) a panel; idempotent, so ``ready()`` may run twice."""
        self._panels[key] = Panel(key, title, url_name, order, refresh_on)

    def for_object(self, obj: Any) -> list[dict[str, Any]]:
        """The panels in order, each with the URL that loads it for ``obj``."""
        return [
            {"panel": panel, "url": reverse(panel.url_name, args=[obj.public_id])}
            for panel in sorted(self._panels.values(), key=lambda p: (p.order, p.key))
        ]

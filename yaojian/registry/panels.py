"""Panels that other apps add to the entity profile (一户一档) without registry importing them.

An app above registry (exchange, notices, enforcement …) registers a panel from its
``AppConfig.ready()``::

    register_panel("exchange-sources", _("What each department holds"),
                   "exchange:entity_sources", order=10)

The profile page renders one lazily loaded card per panel: htmx fetches
``reverse(url_name, args=[entity.public_id])`` when the page loads (and again on the
panel's ``refresh_on`` htmx events). The view behind the URL does its own scoping.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class ProfilePanel:
    """One lazily loaded card of the entity profile."""

    key: str
    title: Any  # a lazy translation
    url_name: str
    order: int = 100
    refresh_on: str = ""  # extra htmx trigger events, e.g. "notices-changed from:body"


_panels: dict[str, ProfilePanel] = {}


def register_panel(
    key: str, title: Any, url_name: str, *, order: int = 100, refresh_on: str = ""
) -> None:
    """Add (or replace) a panel; idempotent, so ``ready()`` may run twice."""
    _panels[key] = ProfilePanel(key, title, url_name, order, refresh_on)


def panels_for(entity: Any) -> list[dict[str, Any]]:
    """The panels in order, each with the URL that loads it for ``entity``."""
    return [
        {"panel": panel, "url": reverse(panel.url_name, args=[entity.public_id])}
        for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key))
    ]

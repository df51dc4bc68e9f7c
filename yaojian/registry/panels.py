"""Panels that other apps add to the entity profile (一户一档) without registry importing them.

An app above registry (exchange, notices, enforcement …) registers a panel from its
``AppConfig.ready()``::

    register_panel("exchange-sources", _("What each department holds"),
                   "exchange:entity_sources", order=10)

The profile renders one lazily loaded card per panel (``core.panels``); the view behind the URL
does its own scoping.
"""

from __future__ import annotations

from yaojian.core.panels import PanelRegistry

ENTITY_PANELS = PanelRegistry()
register_panel = ENTITY_PANELS.register
panels_for = ENTITY_PANELS.for_object

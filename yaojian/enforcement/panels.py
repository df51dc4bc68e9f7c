"""Cards that apps above enforcement (referrals …) add to the case page (ADR 0008).

Register from ``AppConfig.ready()`` with :func:`register_case_panel`; the view at the URL (taking
the case's ``public_id``) renders an HTML fragment and does its own scoping.
"""

from __future__ import annotations

from yaojian.core.panels import PanelRegistry

CASE_PANELS = PanelRegistry()
register_case_panel = CASE_PANELS.register
case_panels_for = CASE_PANELS.for_object

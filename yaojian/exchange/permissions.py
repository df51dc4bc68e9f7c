"""Who may do what in the exchange app (added to the role matrix from ``ready()``, ADR 0008)."""

from __future__ import annotations

from yaojian.accounts.choices import Role

IMPORT = "exchange.add_importbatch"
VIEW_BATCHES = "exchange.view_importbatch"
VIEW_ALERTS = "exchange.view_dataqualityalert"
CHANGE_ALERTS = "exchange.change_dataqualityalert"
MANAGE_SOURCES = "exchange.change_datasource"

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.DATA_STEWARD: frozenset({IMPORT, VIEW_BATCHES, VIEW_ALERTS, CHANGE_ALERTS}),
    Role.ADMINISTRATOR: frozenset({IMPORT, VIEW_BATCHES, VIEW_ALERTS, MANAGE_SOURCES}),
    Role.DEPARTMENT_HEAD: frozenset({VIEW_BATCHES, VIEW_ALERTS, CHANGE_ALERTS}),
    Role.INSPECTOR: frozenset({VIEW_ALERTS}),
    Role.CASE_OFFICER: frozenset({VIEW_ALERTS}),
    Role.LEADER: frozenset({VIEW_ALERTS}),
    Role.AUDITOR: frozenset({VIEW_ALERTS}),
    Role.LEGAL_REVIEWER: frozenset({VIEW_ALERTS}),
}

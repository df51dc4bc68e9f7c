"""Reactions to enforcement's and credit's events (subscribed in ``PortalConfig.ready``)."""

from __future__ import annotations

from yaojian.credit.events import CreditRepaired
from yaojian.enforcement.events import CaseDecided, DecisionChanged
from yaojian.portal import services


def on_case_decided(event: CaseDecided) -> None:
    """A decided case: queue its penalty information when it must be published."""
    if event.publication is not None:
        services.ingest_decision(payload=event.publication)


def on_decision_changed(event: DecisionChanged) -> None:
    """A changed, revoked or void decision: withdraw or replace what was published."""
    services.apply_decision_change(event=event)


def on_credit_repaired(event: CreditRepaired) -> None:
    """A repaired credit record: stop the display of its decision's penalty information."""
    services.stop_for_credit_repair(event=event)

"""Reactions: place a new entity in its grid cell; register the lab-results import source."""

from __future__ import annotations

import logging

from yaojian.exchange.events import BatchApplied

logger = logging.getLogger(__name__)


def place_imported_entities(event: BatchApplied) -> None:
    """The entities an import touched go into the cell their address names (one hand-off per
    batch, not per entity); what cannot be placed waits in the coverage page's review list.
    Entities registered by hand are placed from the coverage page (or by the same service)."""
    from yaojian.inspections.services import place_entities

    if event.entity_ids:
        place_entities(actor=None, entity_ids=list(event.entity_ids))


def register_lab_results_source() -> None:
    """The ``lab_results`` exchange source (ADR 0025)."""
    from yaojian.inspections import labresults

    labresults.register()

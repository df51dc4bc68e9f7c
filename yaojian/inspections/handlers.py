"""Reactions: place a new entity in its grid cell; register the lab-results import source."""

from __future__ import annotations

import logging

from yaojian.registry.events import EntityCreated

logger = logging.getLogger(__name__)


def place_new_entity(event: EntityCreated) -> None:
    """A new entity (registered by hand or imported) goes into the cell its address names;
    what cannot be placed waits in the coverage page's review list."""
    from yaojian.inspections.services import place_entities

    place_entities(actor=None, entity_ids=[event.entity_id])


def register_lab_results_source() -> None:
    """The ``lab_results`` exchange source (ADR 0025)."""
    from yaojian.inspections import labresults

    labresults.register()

"""Reactions: place a new entity in its grid cell; register the lab-results import source."""

from __future__ import annotations

import logging

from yaojian.exchange.events import BatchApplied
from yaojian.inspections.events import InspectionPassed
from yaojian.registry.events import EntityRegisteredByHand

logger = logging.getLogger(__name__)


def place_imported_entities(event: BatchApplied) -> None:
    """The entities an import touched go into the cell their address names (one hand-off per
    batch, not per entity); what cannot be placed waits in the coverage page's review list.
    Entities registered by hand are placed by :func:`place_registered_entity`."""
    from yaojian.inspections.services import place_entities

    if event.entity_ids:
        place_entities(actor=None, entity_ids=list(event.entity_ids))


def place_registered_entity(event: EntityRegisteredByHand) -> None:
    """An entity registered by hand (form or API) goes into its cell as an imported one does.
    Idempotent: only an entity still without a cell is placed, so a hand-off delivered twice,
    or one for an entity placed by hand in the meantime, changes nothing."""
    from yaojian.inspections.services import place_entities

    place_entities(actor=None, entity_ids=[event.entity_id])


def record_passed_inspection(event: InspectionPassed) -> None:
    """A passed inspection is a positive fact on the entity's credit file (issue 11 §1), valid
    one year. Idempotent: keyed by the inspection (a hand-off delivered twice adds nothing)."""
    import datetime as dt

    from yaojian.accounts.models import Department
    from yaojian.credit import services as credit
    from yaojian.credit.choices import RecordKind, RecordOrigin
    from yaojian.credit.models import CreditRecord
    from yaojian.registry.models import Entity

    ref = f"inspection:{event.inspection_public_id}"
    if CreditRecord.objects.filter(origin_ref=ref, kind=RecordKind.INSPECTION_PASSED).exists():
        return
    entity = Entity.objects.filter(pk=event.entity_id).first()
    if entity is None:
        return
    day = dt.date.fromisoformat(event.inspected_on)
    credit.create_record(
        actor=None,
        system=True,
        source_department=Department.objects.get(pk=event.department_id),
        origin=RecordOrigin.EVENT,
        origin_ref=ref,
        kind=RecordKind.INSPECTION_PASSED,
        entity=entity,
        occurred_on=day,
        expires_on=day + dt.timedelta(days=365),
        legal_basis="《药品检查管理办法（试行）》",
        summary=str(event.inspection_public_id),
    )


def register_lab_results_source() -> None:
    """The ``lab_results`` exchange source (ADR 0025)."""
    from yaojian.inspections import labresults

    labresults.register()

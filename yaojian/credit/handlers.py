"""Reactions to other apps' events (subscribed in ``CreditConfig.ready``)."""

from __future__ import annotations

from typing import Any

from yaojian.credit import grades, services
from yaojian.credit.choices import RecordStatus
from yaojian.credit.models import CreditRecord


def on_case_decided(event: Any) -> None:
    """A decided case: its penalties become credit records (the grade is recomputed)."""
    services.record_decision(event)


def on_decision_changed(event: Any) -> None:
    """A revoked or void decision withdraws its records; a listing on it stops (第19条)."""
    if event.change not in ("revoked", "void"):
        return
    ref = str(event.decision_public_id)
    entity_ids = list(
        CreditRecord.objects.filter(origin_ref=ref, entity__isnull=False).values_list(
            "entity_id", flat=True
        )
    )
    CreditRecord.objects.filter(origin_ref=ref, status=RecordStatus.ACTIVE).update(
        status=RecordStatus.WITHDRAWN
    )
    if entity_ids:
        grades.recompute(entity_ids=entity_ids)

"""Shared pieces of the credit tests: a practice ban, a serious-dishonesty record and its published listing,
and a licence-register import run to its end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import TestCase

from yaojian.credit.choices import ListingState, RecordKind, RecordOrigin
from yaojian.credit.models import CreditRecord, Listing
from yaojian.exchange import services as exchange
from yaojian.exchange.choices import SourceKind
from yaojian.exchange.models import ImportBatch
from yaojian.exchange.tests.factories import LICENCE_HEADERS, xlsx_bytes

BAN_BASIS = "《药品管理法》第一百一十八条"


def ban_from_practice(world: Any, person: Any, basis: str = BAN_BASIS) -> CreditRecord:
    """A practice ban (从业禁止) on ``person``, recorded by ``world.department``, without end."""
    return CreditRecord.objects.create(  # type: ignore[no-any-return]
        person=person,
        region_id=person.region_id,
        kind=RecordKind.PRACTICE_BAN,
        origin=RecordOrigin.UI,
        source_department=world.department,
        legal_basis=basis,
        occurred_on=dt.date(2026, 1, 5),
        expires_on=None,
    )


def dishonesty_record(world: Any) -> CreditRecord:
    """A serious-dishonesty record on ``world.entity`` (第15条, 2026-01-05 to 2029-01-05)."""
    return CreditRecord.objects.create(  # type: ignore[no-any-return]
        entity=world.entity,
        region_id="540102",
        kind=RecordKind.SERIOUS_DISHONESTY,
        origin=RecordOrigin.UI,
        source_department=world.department,
        legal_basis="第15条",
        occurred_on=dt.date(2026, 1, 5),
        expires_on=dt.date(2029, 1, 5),
    )


def publish_listing(world: Any) -> Listing:
    """``world.entity`` on the serious-dishonesty list, published until 2029-02-01."""
    return Listing.objects.create(  # type: ignore[no-any-return]
        entity=world.entity,
        department=world.department,
        penalty_record=dishonesty_record(world),
        reasons="x",
        state=ListingState.PUBLISHED,
        decided_on=dt.date(2026, 2, 1),
        listed_until=dt.date(2029, 2, 1),
    )


def import_licences(actor: Any, rows: list[list[Any]]) -> ImportBatch:
    """A licence-register XLSX of ``rows`` imported by ``actor``, its tasks run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = exchange.start_import(
            actor=actor,
            kind=SourceKind.LICENCE_REGISTER,
            data=xlsx_bytes(LICENCE_HEADERS, rows),
            file_name="licences.xlsx",
        )
    batch.refresh_from_db()
    return batch  # type: ignore[no-any-return]

"""Trace events through the exchange (ADR 0025): upload page path, API, rejected rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.roles import Role
from yaojian.exchange import services as exchange
from yaojian.exchange.choices import BatchStatus, RowOutcome
from yaojian.exchange.models import ImportBatch, RejectedRow
from yaojian.exchange.selectors import source_kinds_for
from yaojian.exchange.tests.factories import csv_bytes, xlsx_bytes
from yaojian.traceability import services
from yaojian.traceability.engine.normalise import COLUMNS
from yaojian.traceability.imports import KIND
from yaojian.traceability.models import Alert, IngestBatch
from yaojian.traceability.tests.helpers import CLINIC, CODE, Events

pytestmark = pytest.mark.django_db


@pytest.fixture
def trace_store(settings: Any, tmp_path: Path) -> Path:
    settings.TRACE_STORE_DIR = tmp_path / "store"
    return tmp_path


@pytest.fixture
def insurer(user_in_department: Any) -> Any:
    return user_in_department(role=Role.DATA_STEWARD, kind=DepartmentKind.MEDICAL_INSURANCE)


def _rows(e: Events) -> list[list[Any]]:
    return [[row[c] for c in COLUMNS] for row in e.rows]


def _events() -> Events:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    e.add("dispense", "2026-03-09T09:00:00Z", CLINIC, insured="p2", settlement="s2")
    return e


def _import(actor: Any, data: bytes, name: str) -> ImportBatch:
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = exchange.start_import(actor=actor, kind=KIND, data=data, file_name=name)
    batch.refresh_from_db()
    return batch


def test_trace_events_are_an_import_source_of_insurance_and_regulators(
    insurer: Any, user_in_department: Any
) -> None:
    assert KIND in dict(source_kinds_for(insurer.memberships.get().department))
    outsider = user_in_department(role=Role.DATA_STEWARD, kind=DepartmentKind.HEALTH_COMMISSION)
    with pytest.raises(ValidationError):
        exchange.start_import(
            actor=outsider,
            kind=KIND,
            data=csv_bytes(list(COLUMNS), _rows(_events())),
            file_name="e.csv",
        )


def test_a_file_in_the_format_is_ingested_and_bad_rows_kept_with_reasons(
    trace_store: Path, insurer: Any
) -> None:
    e = _events()
    rows = _rows(e)
    bad = list(rows[-1])
    bad[0], bad[1] = "bad-1", "6901234567892"  # EAN-13: a product, not a pack
    late = list(rows[-1])
    late[0], late[3] = "bad-2", "2026-03-10T09:00:00"  # no offset
    gs = list(rows[-1])
    gs[0], gs[1], gs[2] = "bad-3", "(01)09506000134352(21)", "sell"
    rows += [bad, late, gs, list(rows[0])]  # …and the first event twice in the file
    batch = _import(insurer, csv_bytes(list(COLUMNS), rows, encoding="gb18030"), "events.csv")
    assert batch.status == BatchStatus.APPLIED
    assert (batch.total_rows, batch.accepted_count, batch.rejected_count) == (11, 7, 4)
    reasons = {
        r.values["event_id"]: sorted(x["code"] for x in r.reasons)
        for r in RejectedRow.objects.filter(batch=batch)
    }
    assert reasons["bad-1"] == ["code_ean13"]
    assert reasons["bad-2"] == ["occurred_at_without_offset"]
    assert reasons["bad-3"] == ["code_gs1_incomplete", "event_type_invalid"]
    assert "duplicate_in_file" in next(
        v for k, v in reasons.items() if k not in {"bad-1", "bad-2", "bad-3"}
    )
    text = RejectedRow.objects.get(batch=batch, values__event_id="bad-1").reasons[0]["message"]
    assert "商品码" in text
    # the events reached the trace store as one ingest batch, and the rules ran
    ingest = IngestBatch.objects.get(source="exchange")
    assert ingest.accepted == 7
    state = services.store().code_state(CODE)
    assert state is not None
    assert state["settlements"] == 2
    assert Alert.objects.filter(rule="R1", party_uscc=CLINIC).count() == 1


def test_the_same_events_again_are_unchanged(trace_store: Path, insurer: Any) -> None:
    data = xlsx_bytes(list(COLUMNS), _rows(_events()))
    _import(insurer, data, "a.xlsx")
    again = _import(insurer, data, "b.xlsx")
    assert again.status == BatchStatus.APPLIED
    assert again.accepted_count == 0
    assert IngestBatch.objects.get(idempotency_key=f"exchange-{again.public_id}").accepted == 0
    assert Alert.objects.count() == 1


def test_trace_events_through_the_exchange_api(trace_store: Path, insurer: Any) -> None:
    records = [
        {"idempotency_key": row["event_id"], **{k: str(v) for k, v in row.items()}}
        for row in _events().rows
    ]
    answers = exchange.submit_records(actor=insurer, kind=KIND, records=records)
    assert {a["outcome"] for a in answers} == {RowOutcome.ACCEPTED}
    assert services.store().code_state(CODE)["settlements"] == 2  # type: ignore[index]

"""处处受限 for licences that arrive through exchange: a file (licence register, insurance
designations), the API's records and a held row decided later all run the restriction check,
set-based; restricted rows are refused with the reasons in the platform's language, kept,
audited; a head's override recorded beforehand lets one row through."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import TestCase
from django.utils import translation

from yaojian.audit.models import AuditEvent
from yaojian.credit import restrictions, services
from yaojian.credit.choices import RecordKind
from yaojian.credit.models import Override
from yaojian.credit.tests.factories import import_licences
from yaojian.credit.tests.test_decision_points import fact
from yaojian.exchange import services as exchange
from yaojian.exchange.choices import BatchStatus, SourceKind
from yaojian.exchange.models import ImportBatch, RejectedRow
from yaojian.exchange.tests.factories import (
    licence_number,
    licence_row,
)
from yaojian.registry.choices import LicenceKind, LicenceStatus
from yaojian.registry.decisions import DecisionSubject
from yaojian.registry.models import Licence
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory

pytestmark = pytest.mark.django_db


_import = import_licences


def _row(entity: Any, n: int, **overrides: Any) -> list[Any]:
    return licence_row(n, name=entity.name, uscc=entity.unified_social_credit_code, **overrides)


def test_a_listed_entity_gets_no_licence_through_a_file(world: Any) -> None:
    """Three rows: a listed entity (refused, reasons kept in Chinese, audited), a clear stored
    entity and a new entity (both accepted)."""
    fact(world, world.entity, RecordKind.SERIOUS_DISHONESTY, "《严重违法失信名单管理办法》第15条")
    clear: Any = EntityFactory(region_id="540102", registered_by=world.department)
    batch = _import(world.steward, [_row(world.entity, 1), _row(clear, 2), licence_row(3)])
    assert batch.status == BatchStatus.APPLIED
    assert (batch.accepted_count, batch.rejected_count) == (2, 1)
    rejected = RejectedRow.objects.get(batch=batch)
    assert rejected.line_number == 2
    [reason] = rejected.reasons
    assert (reason["field"], reason["code"]) == ("licence_number", "restricted")
    assert "《严重违法失信名单管理办法》第15条" in reason["message"]
    assert "2029-01-05" in reason["message"]
    assert "信用" in reason["message"]  # rendered in the platform's language (zh-hans)
    assert not Licence.objects.filter(entity=world.entity).exists()
    assert Licence.objects.filter(entity=clear).count() == 1
    assert Licence.objects.filter(number=licence_number(3)).count() == 1
    event = AuditEvent.objects.get(action="registry.restricted_rows_refused")
    assert event.actor == world.steward
    [row] = event.changes["rows"]
    assert row["ref"] == "2"
    assert row["entity"] == str(world.entity.public_id)
    assert row["action"] == "licence.issue"
    assert row["legal_basis"] == ["《严重违法失信名单管理办法》第15条"]
    assert batch.error_report  # the refused row is in the downloadable report


def test_the_reason_reads_in_english_for_an_english_platform(world: Any, settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    fact(world, world.entity, RecordKind.SERIOUS_DISHONESTY)
    batch = _import(world.steward, [_row(world.entity, 1)])
    [reason] = RejectedRow.objects.get(batch=batch).reasons
    assert reason["message"].startswith("This licence decision is restricted by credit: ")
    assert "A department head may record an override" in reason["message"]


def test_renewing_a_stored_licence_is_checked_and_an_unchanged_one_is_not(world: Any) -> None:
    licence = LicenceFactory(
        entity=world.entity,
        issued_by=world.department,
        number=licence_number(1),
        valid_from=dt.date(2025, 1, 5),
        valid_until=dt.date(2030, 1, 4),
    )
    fact(world, world.entity, RecordKind.SERIOUS_DISHONESTY)
    same = _import(world.steward, [_row(world.entity, 1)])
    assert (same.accepted_count, same.rejected_count) == (1, 0)  # decides nothing
    later = _import(world.steward, [_row(world.entity, 1, valid_until="2035-01-04")])
    assert (later.accepted_count, later.rejected_count) == (0, 1)
    licence.refresh_from_db()
    assert licence.valid_until == dt.date(2030, 1, 4)
    event = AuditEvent.objects.get(action="registry.restricted_rows_refused")
    assert event.changes["rows"][0]["action"] == "licence.renew"


def test_a_licence_reinstated_to_valid_is_a_renewal(world: Any) -> None:
    LicenceFactory(
        entity=world.entity,
        issued_by=world.department,
        number=licence_number(1),
        valid_from=dt.date(2025, 1, 5),
        valid_until=dt.date(2030, 1, 4),
        status=LicenceStatus.SUSPENDED,
    )
    fact(world, world.entity, RecordKind.SERIOUS_DISHONESTY)
    batch = _import(world.steward, [_row(world.entity, 1)])
    assert batch.rejected_count == 1
    assert Licence.objects.get().status == LicenceStatus.SUSPENDED


def test_a_terminated_agreement_refuses_a_designation_submitted_through_the_api(
    world: Any, user_in_department: Any
) -> None:
    from yaojian.accounts.choices import Role

    bureau = user_in_department(role=Role.DATA_STEWARD, department=world.insurance_department)
    fact(world, world.entity, RecordKind.INSURANCE_TERMINATION, "《医疗保障基金使用监督管理条例》")
    clear: Any = EntityFactory(region_id="540102", registered_by=world.department)

    def record(key: str, entity: Any, number: str) -> dict[str, Any]:
        return {
            "idempotency_key": key,
            "entity_name": entity.name,
            "unified_social_credit_code": entity.unified_social_credit_code,
            "agreement_number": number,
            "agreement_status": "有效",
            "start_date": "2026-01-01",
            "region_code": "540102",
        }

    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = exchange.submit_records(
            actor=bureau,
            kind=SourceKind.INSURANCE_DESIGNATIONS,
            records=[
                record("yb-1", world.entity, "YB540102-2026-001"),
                record("yb-2", clear, "YB540102-2026-002"),
            ],
        )
    assert [a["outcome"] for a in answer] == ["rejected", "accepted"]
    assert answer[0]["reasons"][0]["code"] == "restricted"
    assert "《医疗保障基金使用监督管理条例》" in answer[0]["reasons"][0]["message"]
    assert list(
        Licence.objects.filter(kind=LicenceKind.INSURANCE_AGREEMENT).values_list(
            "entity", flat=True
        )
    ) == [clear.pk]
    event = AuditEvent.objects.get(action="registry.restricted_rows_refused")
    assert event.changes["rows"][0]["action"] == "insurance.designate"


def test_a_heads_override_recorded_beforehand_lets_one_row_through(world: Any) -> None:
    fact(world, world.entity, RecordKind.SERIOUS_DISHONESTY)
    services.record_override(
        actor=world.head,
        action="licence.issue",
        credit_code=world.entity.unified_social_credit_code,
        reason="短缺药品保供，经集体研究。",
    )
    batch = _import(world.steward, [_row(world.entity, 1)])
    assert (batch.accepted_count, batch.rejected_count) == (1, 0)
    override = Override.objects.get()
    assert override.used_by == world.steward
    event = AuditEvent.objects.get(action="registry.restriction_overridden")
    assert event.changes["action"] == "licence.issue"
    assert not AuditEvent.objects.filter(action="registry.restricted_rows_refused").exists()
    # Used once: the next restricted licence is refused again.
    second = _import(world.steward, [_row(world.entity, 2)])
    assert second.rejected_count == 1


def test_a_held_row_refused_once_decided_is_kept(world: Any) -> None:
    """A row held for linkage review is applied when the review is decided; a restricted
    licence then is refused and kept with its reasons, not dropped."""
    fact(world, world.entity, RecordKind.SERIOUS_DISHONESTY)
    batch = _import(world.steward, [licence_row(9)])  # a new entity: accepted
    ImportBatch.objects.filter(pk=batch.pk).update(held_count=1, accepted_count=0)
    row = licence_row(10)
    payload = {
        "entity_name": world.entity.name,
        "unified_social_credit_code": "",
        "entity_kind": "single_pharmacy",
        "region_code": "540102",
        "address": world.entity.address,
        "legal_representative": "扎西",
        "licence_kind": "drug_distribution",
        "licence_number": row[7],
        "valid_from": "2025-01-05",
        "valid_until": "2030-01-04",
        "licence_status": "valid",
    }
    exchange.apply_reviewed_row(
        batch_id=batch.pk,
        line=7,
        record_key=f"licence:{row[7]}",
        payload=payload,
        entity_id=world.entity.pk,
        decision="confirmed",
    )
    batch.refresh_from_db()
    assert (batch.held_count, batch.rejected_count) == (0, 1)
    kept = RejectedRow.objects.get(batch=batch)
    assert (kept.line_number, kept.reasons[0]["code"]) == (7, "restricted")
    assert not Licence.objects.filter(entity=world.entity).exists()


def test_the_check_of_many_entities_is_set_based(
    world: Any, django_assert_num_queries: Any
) -> None:
    """Rule sets and records: two queries for forty decisions, whatever the number of rows."""
    entities = [
        EntityFactory(region_id="540102", registered_by=world.department) for _ in range(20)
    ]
    for entity in entities[:5]:
        fact(world, entity, RecordKind.SERIOUS_DISHONESTY)
    fact(world, entities[5], RecordKind.INSURANCE_TERMINATION)
    decisions = [(DecisionSubject(entity_id=e.pk), "licence.issue") for e in entities] + [
        (DecisionSubject(entity_id=e.pk), "insurance.designate") for e in entities
    ]
    with translation.override("en"), django_assert_num_queries(2):
        answers = restrictions.check_many(decisions)
    restricted = [i for i, found in enumerate(answers) if found]
    assert restricted == [0, 1, 2, 3, 4, 20, 21, 22, 23, 24, 25]
    # The same answers as one check per decision.
    with translation.override("en"):
        assert answers == [restrictions.check_restrictions(s, a) for s, a in decisions]

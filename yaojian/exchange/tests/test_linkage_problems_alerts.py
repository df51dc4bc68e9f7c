"""Rows without a credit code through the real linkage engine and review services; supervision
problems forwarded to the notices app; the alert kinds (opened and resolved by later imports)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import TestCase

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.exchange import handlers, services
from yaojian.exchange.choices import AlertStatus, BatchStatus, SourceKind
from yaojian.exchange.models import (
    DataQualityAlert,
    FieldProvenance,
    ImportBatch,
    RejectedRow,
    SourceRecord,
)
from yaojian.exchange.tests.conftest import department_of
from yaojian.exchange.tests.factories import (
    LICENCE_HEADERS,
    licence_number,
    licence_row,
    xlsx_bytes,
)
from yaojian.linkage.events import LinkReviewResolved
from yaojian.linkage.models import LinkReview
from yaojian.linkage.services import confirm_review, reject_review
from yaojian.notices.models import Notice, Problem, ProblemCategory
from yaojian.registry.models import Entity, Licence
from yaojian.registry.tests.factories import EntityFactory, uscc_for

pytestmark = pytest.mark.django_db

PROBLEM_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "行政区划代码",
    "问题类别",
    "问题描述",
    "发现日期",
]


def _import(actor: Any, data: bytes, kind: str = SourceKind.LICENCE_REGISTER) -> ImportBatch:
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = services.start_import(actor=actor, kind=kind, data=data, file_name="f.xlsx")
    batch.refresh_from_db()
    return batch


def _counts(batch: ImportBatch) -> tuple[int, int, int, int]:
    batch.refresh_from_db()
    return (batch.accepted_count, batch.rejected_count, batch.unchanged_count, batch.held_count)


def _kangren() -> Entity:
    EntityFactory(name="拉萨市雪域诊所", address="拉萨市城关区江苏路3号", region_id="540102")
    return EntityFactory.create(
        name="拉萨市康仁大药房有限公司",
        address="拉萨市城关区北京中路12号",
        region_id="540102",
        legal_representative="扎西",
    )


# --- linkage ---------------------------------------------------------------------------------


def _three_rows(kangren: Entity) -> list[list[Any]]:
    return [
        # line 2: the same name, address and legal representative → auto band
        licence_row(1, name=kangren.name, uscc="", address=kangren.address),
        # line 3: a shortened name at the same address → held for review
        licence_row(2, name="拉萨康仁药店", uscc="", address="城关区北京中路12号", legal=""),
        # line 4: nothing like any registered entity → a new entity
        licence_row(3, name="完全不同的医院", uscc="", address="某路1号", legal=""),
    ]


def test_rows_without_a_credit_code_are_linked_held_and_applied_when_confirmed(
    steward: Any,
) -> None:
    kangren = _kangren()
    rows = _three_rows(kangren)
    batch = _import(steward, xlsx_bytes(LICENCE_HEADERS, rows))
    assert batch.status == BatchStatus.APPLIED
    assert _counts(batch) == (2, 0, 0, 1)
    assert Licence.objects.get(number=licence_number(1)).entity == kangren
    created = Licence.objects.get(number=licence_number(3)).entity
    assert created.name == "完全不同的医院"
    assert created.pk != kangren.pk
    assert not Licence.objects.filter(number=licence_number(2)).exists()
    review = LinkReview.objects.get()
    assert (review.source_app, review.source_ref) == ("exchange", f"{batch.public_id}:3")
    assert review.candidate == kangren
    assert Entity.objects.count() == 3

    with TestCase.captureOnCommitCallbacks(execute=True):
        confirm_review(actor=steward, review=review)

    assert Licence.objects.get(number=licence_number(2)).entity == kangren
    assert _counts(batch) == (3, 0, 0, 0)
    # A fuzzy match never renames the registered entity; the name stays in the provenance.
    kangren.refresh_from_db()
    assert kangren.name == "拉萨市康仁大药房有限公司"
    statement = FieldProvenance.objects.filter(
        entity=kangren, department=department_of(steward)
    ).latest("id")
    assert (statement.values["name"], statement.batch) == ("拉萨康仁药店", batch)
    record = SourceRecord.objects.get(record_key=f"drug_distribution:{licence_number(2)}")
    assert (record.entity, record.department) == (kangren, department_of(steward))
    assert Entity.objects.count() == 3

    # The event delivered twice changes nothing the second time.
    review.refresh_from_db()
    handlers.on_link_review_resolved(
        LinkReviewResolved(
            review_id=review.pk,
            decision="confirmed",
            entity_id=kangren.pk,
            source_app="exchange",
            source_ref=review.source_ref,
            payload=review.payload,
        )
    )
    assert Licence.objects.filter(number=licence_number(2)).count() == 1
    assert _counts(batch) == (3, 0, 0, 0)


def test_a_rejected_review_makes_a_new_entity(steward: Any) -> None:
    kangren = _kangren()
    batch = _import(steward, xlsx_bytes(LICENCE_HEADERS, _three_rows(kangren)))
    assert _counts(batch) == (2, 0, 0, 1)
    review = LinkReview.objects.get()

    with TestCase.captureOnCommitCallbacks(execute=True):
        reject_review(actor=steward, review=review, reason="地址相同但不是同一家")

    licence = Licence.objects.get(number=licence_number(2))
    assert licence.entity != kangren
    assert (licence.entity.name, licence.entity.region_id) == ("拉萨康仁药店", "540102")
    assert Entity.objects.count() == 4
    assert _counts(batch) == (3, 0, 0, 0)
    assert Licence.objects.get(number=licence_number(1)).entity == kangren


# --- supervision problems ---------------------------------------------------------------------


@pytest.fixture
def county(db: Any, regions: None) -> dict[str, Any]:
    """城关区's drug regulator, health commission and insurance bureau (with the ones above),
    and 拉萨's police: the departments the seeded routing rules name."""

    def dept(code: str, kind: str, region: str, level: str, parent: Any = None) -> Any:
        return DepartmentFactory(code=code, kind=kind, region_id=region, level=level, parent=parent)

    province = dept(
        "MI-540000", DepartmentKind.MEDICAL_INSURANCE, "540000", DepartmentLevel.PROVINCE
    )
    city = dept(
        "MI-540100", DepartmentKind.MEDICAL_INSURANCE, "540100", DepartmentLevel.CITY, province
    )
    return {
        "drug": dept("MPA-540102", DepartmentKind.DRUG_REGULATOR, "540102", DepartmentLevel.COUNTY),
        "health": dept(
            "HC-540102", DepartmentKind.HEALTH_COMMISSION, "540102", DepartmentLevel.COUNTY
        ),
        "insurance": dept(
            "MI-540102", DepartmentKind.MEDICAL_INSURANCE, "540102", DepartmentLevel.COUNTY, city
        ),
        "police": dept("PS-540100", DepartmentKind.PUBLIC_SECURITY, "540100", DepartmentLevel.CITY),
    }


@time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC))
def test_supervision_problems_are_forwarded_to_the_notices_app(
    county: dict[str, Any], user_in_department: Any
) -> None:
    steward = user_in_department(role=Role.DATA_STEWARD, department=county["drug"])
    pharmacy = EntityFactory(region_id="540102", registered_by=county["drug"])
    counterfeit = ProblemCategory.objects.get(code="counterfeit_drug")
    rows = [
        # line 2: by the category's Chinese name → recorded, notices to three departments
        [pharmacy.name, pharmacy.unified_social_credit_code, "", counterfeit.name_zh,
         "该药店销售假冒阿莫西林胶囊。", "2026-02-27"],
        # line 3: an unknown category → rejected by the exchange
        [pharmacy.name, pharmacy.unified_social_credit_code, "", "不存在的类别", "描述", "2026-02-27"],
        # line 4: found in the future → refused by the notices service, rejected
        [pharmacy.name, pharmacy.unified_social_credit_code, "", "counterfeit_drug", "描述二",
         "2026-12-01"],
    ]  # fmt: skip
    data = xlsx_bytes(PROBLEM_HEADERS, rows)
    batch = _import(steward, data, kind=SourceKind.SUPERVISION_PROBLEMS)

    assert batch.status == BatchStatus.APPLIED
    assert _counts(batch) == (1, 2, 0, 0)
    reasons = {
        r.line_number: [(x["field"], x["code"]) for x in r.reasons]
        for r in RejectedRow.objects.filter(batch=batch)
    }
    assert reasons == {
        3: [("category", "invalid_choice")],
        4: [("found_on", "refused_by_notices")],
    }
    problem = Problem.objects.get()
    assert (problem.department, problem.entity, problem.category) == (
        county["drug"],
        pharmacy,
        counterfeit,
    )
    assert problem.found_on == dt.date(2026, 2, 27)
    assert problem.description == "该药店销售假冒阿莫西林胶囊。"
    recipients = sorted(
        Notice.objects.filter(problem=problem).values_list("recipient__code", flat=True)
    )
    assert recipients == ["HC-540102", "MI-540102", "PS-540100"]
    assert set(Notice.objects.values_list("sender_id", flat=True)) == {county["drug"].pk}

    again = _import(steward, data, kind=SourceKind.SUPERVISION_PROBLEMS)
    assert _counts(again) == (0, 2, 1, 0)
    assert Problem.objects.count() == 1
    assert Notice.objects.count() == 3


# --- alert kinds ------------------------------------------------------------------------------


def _insurance_record(key: str, **fields: Any) -> dict[str, Any]:
    return {
        "idempotency_key": key,
        "agreement_number": "YB540102-2025-001",
        "agreement_status": "有效",
        "start_date": "2025-01-01",
        "region_code": "540102",
        **fields,
    }


def test_different_names_raise_an_alert_for_both_departments_until_they_agree(
    steward: Any, insurance_steward: Any
) -> None:
    row = licence_row(1)
    _import(steward, xlsx_bytes(LICENCE_HEADERS, [row]))
    answer = services.submit_records(
        actor=insurance_steward,
        kind=SourceKind.INSURANCE_DESIGNATIONS,
        records=[
            _insurance_record(
                "yb-1", entity_name="拉萨康达药品超市", unified_social_credit_code=row[1],
                legal_representative="扎西",
            )
        ],
    )  # fmt: skip
    assert answer[0]["outcome"] == "accepted"
    alert = DataQualityAlert.objects.get()
    assert alert.kind == "name_mismatch"
    assert alert.status == AlertStatus.OPEN
    assert set(alert.departments.all()) == {
        department_of(steward),
        department_of(insurance_steward),
    }
    assert alert.details == {"values": sorted([row[0], "拉萨康达药品超市"])}

    services.submit_records(
        actor=insurance_steward,
        kind=SourceKind.INSURANCE_DESIGNATIONS,
        records=[
            _insurance_record(
                "yb-2", entity_name=row[0], unified_social_credit_code=row[1],
                legal_representative="扎西",
            )
        ],
    )  # fmt: skip
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert alert.closed_at is not None


def test_an_insured_clinic_without_a_practice_licence_raises_an_alert_until_one_arrives(
    insurance_steward: Any, user_in_department: Any
) -> None:
    uscc = uscc_for(9001)
    services.submit_records(
        actor=insurance_steward,
        kind=SourceKind.INSURANCE_DESIGNATIONS,
        records=[
            _insurance_record(
                "yb-1", entity_name="拉萨雪域诊所", unified_social_credit_code=uscc,
                entity_kind="clinic",
            )
        ],
    )  # fmt: skip
    alert = DataQualityAlert.objects.get()
    assert alert.kind == "insured_without_practice_licence"
    assert list(alert.departments.all()) == [department_of(insurance_steward)]
    assert alert.details == {"agreements": ["YB540102-2025-001"]}

    health = user_in_department(role=Role.DATA_STEWARD, kind=DepartmentKind.HEALTH_COMMISSION)
    headers = [
        "机构名称",
        "统一社会信用代码",
        "医疗机构执业许可证登记号",
        "行政区划代码",
        "有效期起",
    ]
    row = ["拉萨雪域诊所", uscc, "PDY00001X54010212A1001", "540102", "2024-03-01"]
    batch = _import(health, xlsx_bytes(headers, [row]), kind=SourceKind.MEDICAL_INSTITUTIONS)
    assert _counts(batch) == (1, 0, 0, 0)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED

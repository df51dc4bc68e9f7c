"""Fixtures of the complaints tests: county offices, their staff, the insurance bureau."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from yaojian.complaints import services
from yaojian.complaints.choices import Channel, Kind, Topic
from yaojian.enforcement.services import outbound
from yaojian.enforcement.services.outbound import documents_skipped
from yaojian.enforcement.tests.factories import CredentialFactory
from yaojian.registry.tests.factories import EntityFactory

SECRET_NAME = "王秘密举报人"
SECRET_PHONE = "13912345678"
SECRET_EMAIL = "whistle@example.cn"


@pytest.fixture(autouse=True)
def _documents_skipped() -> Any:
    with documents_skipped():
        yield


@pytest.fixture
def with_documents(_documents_skipped: None) -> Any:
    token = outbound._render_documents.set(True)
    yield
    outbound._render_documents.reset(token)


@pytest.fixture
def frozen() -> Any:
    """Wednesday 2026-03-04, 09:00 Beijing time."""
    with time_machine.travel(dt.datetime(2026, 3, 4, 1, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


def member(department: Any, role: str, **fields: Any) -> Any:
    user = UserFactory(**fields)
    MembershipFactory(user=user, department=department, role=role)
    return user


def dept(code: str, name: str, region: str, kind: str, level: str) -> Any:
    return DepartmentFactory(code=code, name=name, region_id=region, kind=kind, level=level)


@pytest.fixture
def world(db: Any, regions: None) -> SimpleNamespace:
    drug, market = DepartmentKind.DRUG_REGULATOR, DepartmentKind.MARKET_REGULATOR
    county = dept("MSA-540102", "城关区市场监督管理局", "540102", market, DepartmentLevel.COUNTY)
    other = dept("MSA-540121", "林周县市场监督管理局", "540121", market, DepartmentLevel.COUNTY)
    city = dept("MSA-540100", "拉萨市市场监督管理局", "540100", market, DepartmentLevel.CITY)
    remote = dept("MSA-540202", "桑珠孜区市场监督管理局", "540202", market, DepartmentLevel.COUNTY)
    province = dept(
        "MPA-540000", "西藏自治区药品监督管理局", "540000", drug, DepartmentLevel.PROVINCE
    )
    insurance = dept(
        "YB-540100",
        "拉萨市医疗保障局",
        "540100",
        DepartmentKind.MEDICAL_INSURANCE,
        DepartmentLevel.CITY,
    )
    health = dept(
        "WJ-540100",
        "拉萨市卫生健康委员会",
        "540100",
        DepartmentKind.HEALTH_COMMISSION,
        DepartmentLevel.CITY,
    )
    officer = member(county, Role.CASE_OFFICER, username="c_officer", full_name="办案员甲")
    officer2 = member(county, Role.CASE_OFFICER, username="c_officer2")
    CredentialFactory(user=officer)
    CredentialFactory(user=officer2)
    entity = EntityFactory(registered_by=county, region_id="540102", name="拉萨市城关区康宁药店")
    return SimpleNamespace(
        county=county,
        other=other,
        city=city,
        remote=remote,
        province=province,
        insurance=insurance,
        health=health,
        officer=officer,
        officer2=officer2,
        head=member(county, Role.DEPARTMENT_HEAD, username="c_head"),
        reviewer=member(county, Role.LEGAL_REVIEWER, username="c_reviewer"),
        inspector=member(county, Role.INSPECTOR, username="c_inspector"),
        leader=member(city, Role.LEADER, username="city_leader"),
        city_head=member(city, Role.DEPARTMENT_HEAD, username="city_head"),
        city_officer=member(city, Role.CASE_OFFICER, username="city_officer"),
        auditor=member(county, Role.AUDITOR, username="c_auditor"),
        other_officer=member(other, Role.CASE_OFFICER, username="o_officer"),
        insurance_officer=member(insurance, Role.CASE_OFFICER, username="yb_officer"),
        entity=entity,
    )


def submission(**overrides: Any) -> services.Submission:
    data: dict[str, Any] = {
        "kind": Kind.REPORT,
        "topic": Topic.RECYCLED_DRUGS,
        "summary": "该药店回收患者医保购买的药品后再次销售，我亲眼看见店员收购。",
        "subject_name": "拉萨市城关区康宁药店",
        "region_code": "540102",
        "products": "阿托伐他汀钙片",
        "name": SECRET_NAME,
        "phone": SECRET_PHONE,
        "email": SECRET_EMAIL,
        "address": "拉萨市城关区某路1号",
    }
    data.update(overrides)
    return services.Submission(**data)


def receive(
    sub: services.Submission | None = None,
    *,
    address: str = "10.0.0.1",
    when: dt.datetime | None = None,
    **overrides: Any,
) -> services.Receipt:
    return services.receive(
        sub or submission(**overrides),
        actor=None,
        channel=Channel.WEB,
        client_address=address,
        received_at=when,
    )


def decide_with_fine(world: Any, case: Any, amount: str = "200000") -> Any:
    """Take a filed case of the county office to a decision with a fine, served and closed."""
    from decimal import Decimal

    from yaojian.enforcement import services as enforcement
    from yaojian.enforcement.choices import DefenceKind, PenaltyKind, ReviewConclusion
    from yaojian.enforcement.services import ItemInput

    enforcement.add_evidence(
        actor=world.officer, case=case, kind="record", description="现场检查笔录（2页）"
    )
    enforcement.propose_penalty(
        actor=world.officer,
        case=case,
        violation="当事人回收并销售医保药品",
        legal_basis="《中华人民共和国药品管理法》第一百二十九条",
        items=[ItemInput(kind=PenaltyKind.FINE, amount=Decimal(amount))],
    )
    enforcement.submit_for_review(actor=world.officer, case=case)
    enforcement.review_case(
        actor=world.reviewer, case=case, opinion="同意", conclusion=ReviewConclusion.APPROVE
    )
    enforcement.issue_notice(actor=world.officer, case=case)
    enforcement.record_defence(actor=world.officer, case=case, kind=DefenceKind.WAIVER)
    decision = enforcement.decide_case(actor=world.head, case=case)
    enforcement.serve_decision(actor=world.officer, case=case)
    enforcement.record_payment(actor=world.officer, decision=decision, amount=Decimal(amount))
    return enforcement.close_case(actor=world.head, case=case, note="执行完毕")


def report_to_closed_case(world: Any, amount: str = "200000") -> tuple[Any, str]:
    """A real-name report taken all the way: clue, case filed, decided with a fine, closed;
    the events delivered at once. Returns the complaint and its query code."""
    from yaojian.enforcement import services as enforcement

    receipt = receive(entity_public_id=str(world.entity.public_id))
    complaint = services.make_clue(actor=world.officer, complaint=receipt.complaint)
    case = complaint.case
    enforcement.begin_verification(
        actor=world.officer, case=case, officers=[world.officer, world.officer2]
    )
    enforcement.file_case(actor=world.head, case=case)
    decide_with_fine(world, case, amount)
    return complaint, receipt.query_code

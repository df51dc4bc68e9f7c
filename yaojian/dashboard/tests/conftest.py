"""Built data for the dashboard tests: a province with two counties, its departments, staff,
entities, cases and notices, with exactly known counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from yaojian.enforcement.choices import CaseStage, ClueSource
from yaojian.enforcement.models import Case
from yaojian.notices.choices import NoticeState
from yaojian.notices.tests.factories import NoticeFactory
from yaojian.registry.choices import EntityKind
from yaojian.registry.tests.factories import EntityFactory

TODAY = dt.date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Rendered figures are cached per snapshot; frozen clocks would make keys repeat."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen() -> Any:
    """Wednesday 2026-03-04, 09:00 Beijing time."""
    with time_machine.travel(dt.datetime(2026, 3, 4, 1, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def member(department: Any, role: str, **fields: Any) -> Any:
    user = UserFactory(**fields)
    MembershipFactory(user=user, department=department, role=role)
    return user


_numbers = iter(range(1, 10_000))


def make_case(
    department: Any,
    region: str,
    stage: str,
    *,
    due: dt.date | None = None,
    today: dt.date = TODAY,
) -> Case:
    n = next(_numbers)
    return Case.objects.create(
        number=f"TEST-{n:05d}",
        department=department,
        region_id=region,
        stage=stage,
        source=ClueSource.INSPECTION,
        title=f"案件{n}",
        party_name=f"当事人{n}",
        clue_received_on=today - dt.timedelta(days=n % 40),
        next_due_on=due,
    )


@dataclass
class Province:
    mpa: Any
    samr_a: Any  # 城关区 540102
    samr_b: Any  # 堆龙德庆区 540103
    hc_a: Any  # a health commission in 540102 (not overseen by the drug regulator)
    leader: Any
    head_a: Any
    inspector_a: Any
    cases: dict[str, list[Case]] = field(default_factory=dict)


@pytest.fixture
def province(db: Any, regions: None, frozen: Any) -> Province:
    return build_province(TODAY)


def build_province(today: dt.date) -> Province:
    """The province of the tests; ``today`` places the deadlines (the browser's is real)."""
    mpa = DepartmentFactory(
        code="MPA-540000",
        name="西藏自治区药品监督管理局",
        kind=DepartmentKind.DRUG_REGULATOR,
        level=DepartmentLevel.PROVINCE,
        region_id="540000",
    )
    samr_a = DepartmentFactory(
        code="SAMR-540102",
        name="城关区市场监督管理局",
        kind=DepartmentKind.MARKET_REGULATOR,
        level=DepartmentLevel.COUNTY,
        region_id="540102",
    )
    samr_b = DepartmentFactory(
        code="SAMR-540103",
        name="堆龙德庆区市场监督管理局",
        kind=DepartmentKind.MARKET_REGULATOR,
        level=DepartmentLevel.COUNTY,
        region_id="540103",
    )
    hc_a = DepartmentFactory(
        code="HC-540102",
        name="城关区卫生健康委员会",
        kind=DepartmentKind.HEALTH_COMMISSION,
        level=DepartmentLevel.COUNTY,
        region_id="540102",
    )
    built = Province(
        mpa=mpa,
        samr_a=samr_a,
        samr_b=samr_b,
        hc_a=hc_a,
        leader=member(mpa, Role.LEADER, username="leader"),
        head_a=member(samr_a, Role.DEPARTMENT_HEAD, username="head_a"),
        inspector_a=member(samr_a, Role.CASE_OFFICER, username="officer_a"),
    )
    for _i in range(3):
        EntityFactory(region_id="540102", kind=EntityKind.SINGLE_PHARMACY, registered_by=samr_a)
    EntityFactory(region_id="540102", kind=EntityKind.WHOLESALER, registered_by=samr_a)
    for _i in range(2):
        EntityFactory(region_id="540103", kind=EntityKind.SINGLE_PHARMACY, registered_by=samr_b)
    past = today - dt.timedelta(days=3)
    built.cases = {
        "a": [
            make_case(samr_a, "540102", CaseStage.VERIFICATION, due=past, today=today),
            make_case(samr_a, "540102", CaseStage.VERIFICATION, due=today + dt.timedelta(days=30)),
            make_case(samr_a, "540102", CaseStage.INVESTIGATION, due=past),
            make_case(samr_a, "540102", CaseStage.CLOSED),
        ],
        "b": [
            make_case(samr_b, "540103", CaseStage.INVESTIGATION, due=past),
            make_case(samr_b, "540103", CaseStage.REVIEW, due=today + dt.timedelta(days=10)),
        ],
        # A health commission's case: not the drug regulator's to oversee.
        "hc": [make_case(hc_a, "540102", CaseStage.INVESTIGATION, due=past)],
    }
    # Notices received: 540102's market regulator has 2 overdue and 1 answered, 540103's 1 open.
    NoticeFactory(
        sender=mpa, recipient=samr_a, state=NoticeState.UNREAD, due_on=past, subject="逾期通报一"
    )
    NoticeFactory(
        sender=mpa, recipient=samr_a, state=NoticeState.READ, due_on=past, subject="逾期通报二"
    )
    NoticeFactory(
        sender=mpa,
        recipient=samr_a,
        state=NoticeState.ANSWERED,
        due_on=past,
        subject="已答复",
        answered_at=dt.datetime(2026, 2, 27, 2, 0, tzinfo=dt.UTC),
    )
    NoticeFactory(
        sender=mpa,
        recipient=samr_b,
        state=NoticeState.UNREAD,
        due_on=today + dt.timedelta(days=5),
        subject="未到期",
    )
    return built

"""Fixtures of the enforcement tests: one market regulator with its staff, an entity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from yaojian.enforcement import services
from yaojian.enforcement.choices import ClueSource
from yaojian.enforcement.services import outbound
from yaojian.enforcement.services.outbound import documents_skipped
from yaojian.enforcement.tests.factories import CredentialFactory
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory


@dataclass
class Office:
    department: Any
    officer: Any
    officer2: Any
    head: Any
    reviewer: Any
    inspector: Any
    leader: Any
    entity: Any
    licence: Any


@pytest.fixture(autouse=True)
def _documents_skipped() -> Any:
    """PDF rendering (about a second each) only in the tests that ask for ``with_documents``."""
    with documents_skipped():
        yield


@pytest.fixture
def with_documents(_documents_skipped: None) -> Any:
    """Render the case's PDF documents in this test (the documents app, real fonts)."""
    token = outbound._render_documents.set(True)
    yield
    outbound._render_documents.reset(token)


@pytest.fixture
def frozen() -> Any:
    """Wednesday 2026-03-04, 09:00 Beijing time."""
    with time_machine.travel(dt.datetime(2026, 3, 4, 1, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def member(department: Any, role: str, **fields: Any) -> Any:
    user = UserFactory(**fields)
    MembershipFactory(user=user, department=department, role=role)
    return user


@pytest.fixture
def office(db: Any, regions: None) -> Office:
    department = DepartmentFactory(
        code="SAMR-540102",
        name="城关区市场监督管理局",
        kind=DepartmentKind.MARKET_REGULATOR,
        level=DepartmentLevel.COUNTY,
        region_id="540102",
    )
    officer = member(department, Role.CASE_OFFICER, username="officer1")
    officer2 = member(department, Role.CASE_OFFICER, username="officer2")
    CredentialFactory(user=officer)
    CredentialFactory(user=officer2)
    entity = EntityFactory(registered_by=department)
    licence = LicenceFactory(entity=entity, issued_by=department)
    return Office(
        department=department,
        officer=officer,
        officer2=officer2,
        head=member(department, Role.DEPARTMENT_HEAD, username="head1"),
        reviewer=member(department, Role.LEGAL_REVIEWER, username="reviewer1"),
        inspector=member(department, Role.INSPECTOR, username="inspector1"),
        leader=member(department, Role.LEADER, username="leader1"),
        entity=entity,
        licence=licence,
    )


def new_clue(office: Office, **extra: Any) -> Any:
    return services.record_clue(
        actor=extra.pop("actor", office.inspector),
        source=ClueSource.INSPECTION,
        title="销售劣药线索",
        entity=office.entity,
        **extra,
    )


def filed_case(office: Office, **extra: Any) -> Any:
    case = new_clue(office, **extra)
    services.begin_verification(
        actor=office.officer, case=case, officers=[office.officer, office.officer2]
    )
    return services.file_case(actor=office.head, case=case)


@pytest.fixture
def clue(office: Office, frozen: Any) -> Any:
    return new_clue(office)

"""Fixtures of the portal tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from yaojian.portal import services
from yaojian.portal.models import Publication
from yaojian.portal.tests.factories import penalty


@pytest.fixture
def today() -> Iterator[Any]:
    """Freeze the clock on 2025-10-09 (a working day after the National Day holiday)."""
    with time_machine.travel("2025-10-09 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def department(regions: None) -> Any:
    """The county drug regulator of 城关区 (540102)."""
    return DepartmentFactory(
        region_id="540102", kind=DepartmentKind.DRUG_REGULATOR, level=DepartmentLevel.COUNTY
    )


@pytest.fixture
def other_department(regions: None) -> Any:
    """The county drug regulator of 堆龙德庆区 (540103), next door."""
    return DepartmentFactory(
        region_id="540103", kind=DepartmentKind.DRUG_REGULATOR, level=DepartmentLevel.COUNTY
    )


@pytest.fixture
def member_of() -> Callable[..., Any]:
    def make(department: Any, role: str = Role.CASE_OFFICER) -> Any:
        user = UserFactory()
        MembershipFactory(user=user, department=department, role=role)
        return user

    return make


@pytest.fixture
def officer(department: Any, member_of: Callable[..., Any]) -> Any:
    return member_of(department, Role.CASE_OFFICER)


@pytest.fixture
def head(department: Any, member_of: Callable[..., Any]) -> Any:
    return member_of(department, Role.DEPARTMENT_HEAD)


@pytest.fixture
def draft(department: Any, today: Any) -> Publication:
    publication = services.ingest_decision(payload=penalty(department))
    assert publication is not None
    return publication


@pytest.fixture
def published(draft: Publication, officer: Any) -> Publication:
    return services.publish_publication(actor=officer, publication=draft)

"""Fixtures of the credit tests: two counties, their city and province, an insurance bureau,
entities and a legal representative."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.registry.choices import PersonRole
from yaojian.registry.tests.factories import EntityFactory, EntityPersonFactory, PersonFactory


@pytest.fixture
def frozen() -> Any:
    """Thursday 2026-09-24, 09:00 Beijing time (the Mid-Autumn and National Day holidays follow)."""
    with time_machine.travel(dt.datetime(2026, 9, 24, 1, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


@pytest.fixture
def world(user_in_department: Any) -> SimpleNamespace:
    officer = user_in_department(role=Role.CASE_OFFICER, region="540102", full_name="王一")
    department = officer.memberships.get().department
    head = user_in_department(role=Role.DEPARTMENT_HEAD, department=department)
    steward = user_in_department(role=Role.DATA_STEWARD, department=department)
    city_head = user_in_department(role=Role.DEPARTMENT_HEAD, region="540100")
    province_head = user_in_department(role=Role.DEPARTMENT_HEAD, region="540000")
    other_officer = user_in_department(role=Role.CASE_OFFICER, region="540103")
    other_department = other_officer.memberships.get().department
    other_head = user_in_department(role=Role.DEPARTMENT_HEAD, department=other_department)
    other_steward = user_in_department(role=Role.DATA_STEWARD, department=other_department)
    insurance = user_in_department(
        role=Role.CASE_OFFICER, region="540102", kind=DepartmentKind.MEDICAL_INSURANCE
    )
    entity = EntityFactory(region_id="540102", registered_by=department, name="城关某大药房")
    other_entity = EntityFactory(
        region_id="540103", registered_by=other_department, name="堆龙新开药店"
    )
    person = PersonFactory(region_id="540102", department=department, name="张三")
    EntityPersonFactory(entity=entity, person=person, role=PersonRole.LEGAL_REPRESENTATIVE)
    return SimpleNamespace(
        officer=officer,
        head=head,
        steward=steward,
        other_steward=other_steward,
        department=department,
        city_head=city_head,
        province_head=province_head,
        other_officer=other_officer,
        other_head=other_head,
        other_department=other_department,
        insurance=insurance,
        insurance_department=insurance.memberships.get().department,
        entity=entity,
        other_entity=other_entity,
        person=person,
    )

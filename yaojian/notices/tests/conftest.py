"""Fixtures of the notices tests: a county with the departments that share drug safety."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from yaojian.registry.tests.factories import EntityFactory


@pytest.fixture
def world(db: Any, regions: None) -> SimpleNamespace:
    """城关区 (540102): drug regulator, health commission and insurance bureau; 拉萨 police;
    the provincial insurance bureau above; an insurance bureau in another county (540103)."""

    def dept(code: str, kind: str, region: str, level: str, parent: Any = None) -> Any:
        return DepartmentFactory(code=code, kind=kind, region_id=region, level=level, parent=parent)

    ns = SimpleNamespace()
    ns.drug = dept("MPA-540102", DepartmentKind.DRUG_REGULATOR, "540102", DepartmentLevel.COUNTY)
    ns.health = dept(
        "HC-540102", DepartmentKind.HEALTH_COMMISSION, "540102", DepartmentLevel.COUNTY
    )
    ns.insurance_province = dept(
        "MI-540000", DepartmentKind.MEDICAL_INSURANCE, "540000", DepartmentLevel.PROVINCE
    )
    ns.insurance_city = dept(
        "MI-540100",
        DepartmentKind.MEDICAL_INSURANCE,
        "540100",
        DepartmentLevel.CITY,
        ns.insurance_province,
    )
    ns.insurance = dept(
        "MI-540102",
        DepartmentKind.MEDICAL_INSURANCE,
        "540102",
        DepartmentLevel.COUNTY,
        ns.insurance_city,
    )
    ns.police = dept("PS-540100", DepartmentKind.PUBLIC_SECURITY, "540100", DepartmentLevel.CITY)
    ns.other_insurance = dept(
        "MI-540103", DepartmentKind.MEDICAL_INSURANCE, "540103", DepartmentLevel.COUNTY
    )

    def member(department: Any, role: str = Role.INSPECTOR, username: str = "") -> Any:
        kwargs = {"username": username} if username else {}
        user = UserFactory(**kwargs)
        MembershipFactory(user=user, department=department, role=role)
        return user

    ns.member = member
    ns.inspector = member(ns.drug, Role.INSPECTOR, "inspector")
    ns.insurance_officer = member(ns.insurance, Role.CASE_OFFICER, "insurer")
    ns.insurance_head = member(ns.insurance, Role.DEPARTMENT_HEAD, "insurance_head")
    ns.insurance_leader = member(ns.insurance, Role.LEADER, "insurance_leader")
    ns.health_officer = member(ns.health, Role.CASE_OFFICER, "health")
    ns.stranger = member(ns.other_insurance, Role.CASE_OFFICER, "stranger")
    ns.admin = member(ns.drug, Role.ADMINISTRATOR, "rules_admin")
    ns.pharmacy = EntityFactory(region_id="540102", registered_by=ns.drug)
    return ns

"""Fixtures of the referral tests: a case, its officers, its head and the police."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.accounts.tests.factories import MembershipFactory
from yaojian.enforcement.choices import CaseStage, ClueSource
from yaojian.enforcement.models import Case


@pytest.fixture
def world(user_in_department: Any) -> SimpleNamespace:
    officer = user_in_department(role=Role.CASE_OFFICER, full_name="王一")
    department = officer.memberships.get().department
    colleague = user_in_department(role=Role.CASE_OFFICER, department=department, full_name="李二")
    head = user_in_department(role=Role.DEPARTMENT_HEAD, department=department)
    police = user_in_department(role=Role.CASE_OFFICER, kind=DepartmentKind.PUBLIC_SECURITY)
    police_department = police.memberships.get().department
    police_head = user_in_department(role=Role.DEPARTMENT_HEAD, department=police_department)
    other_police = user_in_department(role=Role.CASE_OFFICER, kind=DepartmentKind.PUBLIC_SECURITY)
    outsider = user_in_department(role=Role.CASE_OFFICER)
    case = Case.objects.create(
        number="城市监立〔2026〕7号",
        department=department,
        region_id="540102",
        stage=CaseStage.INVESTIGATION,
        source=ClueSource.SAMPLING,
        title="销售假药案",
        facts="当事人销售假药。",
        party_name="拉萨某药店",
        clue_received_on=dt.date(2026, 3, 2),
        filed_on=dt.date(2026, 3, 3),
    )
    return SimpleNamespace(
        officer=officer,
        colleague=colleague,
        head=head,
        department=department,
        police=police,
        police_head=police_head,
        police_department=police_department,
        other_police=other_police,
        outsider=outsider,
        case=case,
    )


def add_member(user: Any, department: Any, role: str) -> None:
    MembershipFactory(user=user, department=department, role=role)

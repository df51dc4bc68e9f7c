"""The demo seeder: about fifty cases in every stage through the real services."""

from __future__ import annotations

import random
from typing import Any

import pytest

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.enforcement.choices import CaseStage
from yaojian.enforcement.demo import STAGES, seed_demo_cases
from yaojian.enforcement.models import Case, CaseStep, EnforcementCredential
from yaojian.enforcement.tests.conftest import member
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_cases_in_every_stage(regions: None, frozen: Any) -> None:
    department = DepartmentFactory(
        code="SAMR-540102",
        name="城关区市场监督管理局",
        kind=DepartmentKind.MARKET_REGULATOR,
        level=DepartmentLevel.COUNTY,
        region_id="540102",
    )
    DepartmentFactory(code="NHSA-540100", kind=DepartmentKind.MEDICAL_INSURANCE, region_id="540100")
    DepartmentFactory(code="SAMR-540402", kind=DepartmentKind.MARKET_REGULATOR, region_id="540402")
    for username, role in (
        ("inspector", Role.INSPECTOR),
        ("caseofficer", Role.CASE_OFFICER),
        ("head", Role.DEPARTMENT_HEAD),
        ("reviewer", Role.LEGAL_REVIEWER),
        ("officer_b", Role.CASE_OFFICER),
    ):
        member(department, role, username=username)
    entities = [EntityFactory(registered_by=department) for _ in range(6)]
    LicenceFactory(entity=entities[-1], issued_by=department)

    made = seed_demo_cases(random.Random(5), documents=False)

    assert made == sum(count for _stage, count in STAGES) == 50
    stages = dict.fromkeys(CaseStage.values, 0)
    for stage in Case.objects.values_list("stage", flat=True):
        stages[stage] += 1
    assert stages == {str(stage): count for stage, count in STAGES}
    assert (
        EnforcementCredential.objects.filter(
            user__username__in=["caseofficer", "officer_b"]
        ).count()
        == 2
    )
    assert Case.objects.filter(participants__isnull=False).exists()
    assert Case.objects.filter(assistance_requests__isnull=False).exists()
    assert CaseStep.objects.filter(action="case_closed").count() == 4
    # Running it again adds nothing.
    assert seed_demo_cases(random.Random(5), documents=False) == 0

"""Fixtures of the inspections tests: a county drug regulator with a head and inspectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.accounts.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from yaojian.registry.tests.factories import EntityFactory
from yaojian.territory.models import GridCell


@dataclass
class County:
    department: Any
    head: Any
    inspectors: list[Any]
    cells: list[Any]
    entities: list[Any] = field(default_factory=list)
    market: Any = None


@pytest.fixture
def county(db: Any, regions: None) -> County:
    department = DepartmentFactory(region_id="540102", kind=DepartmentKind.DRUG_REGULATOR)
    market = DepartmentFactory(region_id="540102", kind=DepartmentKind.MARKET_REGULATOR)
    head = UserFactory(username="head1")
    MembershipFactory(user=head, department=department, role=Role.DEPARTMENT_HEAD)
    inspectors = []
    for n in range(6):
        user = UserFactory(username=f"insp{n}")
        MembershipFactory(user=user, department=department, role=Role.INSPECTOR)
        inspectors.append(user)
    cells = [
        GridCell.objects.create(
            code="540102-T1",
            name="八廓街道网格",
            region_id="540102",
            level="township",
            place_names="八廓",
        ),
        GridCell.objects.create(
            code="540102-T2",
            name="吉日街道网格",
            region_id="540102",
            level="township",
            place_names="吉日",
        ),
    ]
    cells.append(
        GridCell.objects.create(
            code="540102-V1",
            name="冲赛康社区网格",
            region_id="540102",
            level="village",
            parent=cells[0],
            place_names="冲赛康",
        )
    )
    entities = [
        EntityFactory(address=f"城关区八廓街{n}号", registered_by=department) for n in range(20)
    ]
    return County(department, head, inspectors, cells, entities, market)

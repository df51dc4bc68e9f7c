"""Fixtures of the registry tests, composed from the factories."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.core import events
from yaojian.registry.events import (
    EntityCreated,
    EntityUpdated,
    LicenceAdded,
    LicenceStatusChanged,
)
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory, PersonFactory
from yaojian.territory.models import GridCell


@pytest.fixture
def drug_regulator(regions: None) -> Any:
    """The county drug regulator of 城关区 (540102)."""
    return DepartmentFactory(
        region_id="540102", kind=DepartmentKind.DRUG_REGULATOR, level=DepartmentLevel.COUNTY
    )


@pytest.fixture
def health_commission(regions: None) -> Any:
    """The county health commission of 城关区 (540102)."""
    return DepartmentFactory(
        region_id="540102", kind=DepartmentKind.HEALTH_COMMISSION, level=DepartmentLevel.COUNTY
    )


@pytest.fixture
def steward(user_in_department: Callable[..., Any], drug_regulator: Any) -> Any:
    """A data steward of the county drug regulator: may write the registry there."""
    return user_in_department(role=Role.DATA_STEWARD, department=drug_regulator)


@pytest.fixture
def entity(drug_regulator: Any) -> Any:
    """An entity in 城关区 registered by the county drug regulator."""
    return EntityFactory(registered_by=drug_regulator)


@pytest.fixture
def licence(entity: Any, drug_regulator: Any) -> Any:
    """A valid drug distribution licence of ``entity``, issued by the county drug regulator."""
    return LicenceFactory(entity=entity, issued_by=drug_regulator)


@pytest.fixture
def person(drug_regulator: Any) -> Any:
    """A pharmacist whose personal data the county drug regulator owns."""
    return PersonFactory(department=drug_regulator, region_id="540102")


@pytest.fixture
def grid_cell(regions: None) -> GridCell:
    """A grid cell in 城关区."""
    return GridCell.objects.create(code="540102-G01", name="八廓网格", region_id="540102")


@pytest.fixture
def published() -> Iterator[list[Any]]:
    """The registry events delivered during the test (after commit)."""
    seen: list[Any] = []
    kinds = (EntityCreated, EntityUpdated, LicenceAdded, LicenceStatusChanged)
    for kind in kinds:
        events.subscribe(kind, seen.append)
    yield seen
    for kind in kinds:
        events.unsubscribe(kind, seen.append)

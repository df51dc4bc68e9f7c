"""Fixtures of the exchange tests."""

from __future__ import annotations

from typing import Any

import pytest

from yaojian.accounts.choices import DepartmentKind, Role


@pytest.fixture
def steward(user_in_department: Any) -> Any:
    """A data steward of a county drug regulator in 城关区."""
    return user_in_department(role=Role.DATA_STEWARD, kind=DepartmentKind.DRUG_REGULATOR)


@pytest.fixture
def insurance_steward(user_in_department: Any) -> Any:
    """A data steward of the county insurance bureau in 城关区."""
    return user_in_department(role=Role.DATA_STEWARD, kind=DepartmentKind.MEDICAL_INSURANCE)


def department_of(user: Any) -> Any:
    return user.memberships.get().department

"""Fixtures of the API tests: two counties, their departments and helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel
from yaojian.accounts.tests.factories import DepartmentFactory


@pytest.fixture
def county_a(regions: None) -> Any:
    """The drug regulator of 城关区 (540102)."""
    return DepartmentFactory(code="MPA-540102", name="城关区药监", region_id="540102")


@pytest.fixture
def county_b(regions: None) -> Any:
    """The drug regulator of 桑珠孜区 (540202), in another prefecture."""
    return DepartmentFactory(code="MPA-540202", name="桑珠孜区药监", region_id="540202")


@pytest.fixture
def health_a(regions: None) -> Any:
    """The health commission of 城关区: another department in county A."""
    return DepartmentFactory(
        code="HC-540102",
        name="城关区卫健委",
        region_id="540102",
        kind=DepartmentKind.HEALTH_COMMISSION,
        level=DepartmentLevel.COUNTY,
    )


@pytest.fixture
def count_queries(api_client_for: Callable[[Any], Any]) -> Callable[[Any, str], int]:
    """How many queries one GET of ``url`` runs for ``user``."""

    def count(user: Any, url: str) -> int:
        client = api_client_for(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.content
        return len(captured)

    return count


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Factories set passwords; the production hasher costs ~0.3 s a user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def registry_events() -> list[str]:
    """Actions of the registry's audit events so far, oldest first."""
    from yaojian.audit.models import AuditEvent

    return list(
        AuditEvent.objects.filter(action__startswith="registry.")
        .order_by("id")
        .values_list("action", flat=True)
    )

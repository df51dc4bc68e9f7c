"""``updated_after`` takes any ISO 8601 offset (PostgreSQL refuses offsets beyond ±15:59 as
literals: the filter compares in UTC). Found by schemathesis."""

from __future__ import annotations

from typing import Any

import pytest

from yaojian.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "count"),
    [("2000-01-01T00:00:00-18:30", 1), ("7013-08-29T10:33:47-18:30", 0), ("2000-01-01T12:00Z", 1)],
)
def test_updated_after_with_any_offset(
    user_in_department: Any, api_client_for: Any, value: str, count: int
) -> None:
    user = user_in_department(role="data_steward")
    EntityFactory()
    response = api_client_for(user).get("/api/v1/entities/", {"updated_after": value})
    assert response.status_code == 200
    assert len(response.json()["results"]) == count

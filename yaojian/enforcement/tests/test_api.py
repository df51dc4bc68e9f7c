"""The API: list and retrieve scoped, actions like the UI, tasks, decisions; 404 for outsiders."""

from __future__ import annotations

from typing import Any

import pytest

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.enforcement.tests.conftest import filed_case, member

pytestmark = pytest.mark.django_db


def test_list_retrieve_and_action(
    api_client_for: Any, office: Any, frozen: Any, django_assert_max_num_queries: Any
) -> None:
    case = filed_case(office)
    client = api_client_for(office.officer)
    with django_assert_max_num_queries(12):
        listing = client.get("/api/v1/cases/", {"stage": "investigation"})
    assert listing.status_code == 200
    assert [row["number"] for row in listing.json()["results"]] == [case.number]

    bad = client.post(
        f"/api/v1/cases/{case.public_id}/actions/evidence/", {"kind": "nope"}, format="json"
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"
    ok = client.post(
        f"/api/v1/cases/{case.public_id}/actions/evidence/",
        {"kind": "physical", "description": "样品"},
        format="json",
    )
    assert ok.status_code == 200
    assert case.evidence.count() == 1
    assert (
        client.post(
            f"/api/v1/cases/{case.public_id}/actions/decide/", {}, format="json"
        ).status_code
        == 403
    )
    assert client.get(f"/api/v1/cases/{case.public_id}/tasks/").json() == []


def test_outsider_gets_404(api_client_for: Any, office: Any, frozen: Any) -> None:
    case = filed_case(office)
    outsider = member(DepartmentFactory(kind=DepartmentKind.MARKET_REGULATOR), Role.CASE_OFFICER)
    client = api_client_for(outsider)
    assert client.get(f"/api/v1/cases/{case.public_id}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/cases/{case.public_id}/actions/evidence/", {}, format="json"
        ).status_code
        == 404
    )
    assert client.get("/api/v1/cases/").json()["results"] == []
    assert client.get("/api/v1/decisions/").json()["results"] == []

"""The calendar API."""

from __future__ import annotations

import datetime as dt

import pytest

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.clocks.models import CalendarDay


@pytest.fixture
def admin_api(user_in_department, api_client_for):
    return api_client_for(user_in_department(role=Role.ADMINISTRATOR))


@pytest.fixture
def inspector_api(user_in_department, api_client_for):
    return api_client_for(user_in_department(role=Role.INSPECTOR))


def test_years_and_days(inspector_api, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        years = inspector_api.get("/api/v1/calendar/years/").json()
    assert [y["year"] for y in years] == [2027, 2026, 2025]
    assert years[0]["status"] == "provisional"
    days = inspector_api.get("/api/v1/calendar/days/", {"year": 2026}).json()
    assert {"date": "2026-10-10", "kind": "workday", "name": days[-1]["name"]} in days or any(
        d["date"] == "2026-10-10" and d["kind"] == "workday" for d in days
    )
    assert inspector_api.get("/api/v1/calendar/days/").status_code == 400


def test_add_working_days(inspector_api):
    response = inspector_api.get(
        "/api/v1/calendar/add-working-days/", {"start": "2026-09-30", "days": 3}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2026-10-10"
    assert body["skipped"][0] == {"date": "2026-10-01", "reason": body["skipped"][0]["reason"]}
    response = inspector_api.get(
        "/api/v1/calendar/add-working-days/", {"start": "2027-12-30", "days": 10}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "start" in response.json()["errors"]


def test_anonymous_is_refused(api_client_for, db):
    assert api_client_for(None).get("/api/v1/calendar/years/").status_code in {401, 403}


def test_admin_adds_and_removes_days(admin_api):
    response = admin_api.post(
        "/api/v1/calendar/days/", {"date": "2026-03-14", "kind": "workday", "name": "调休"}
    )
    assert response.status_code == 201
    assert response.json() == {"date": "2026-03-14", "kind": "workday", "name": "调休"}
    response = admin_api.post("/api/v1/calendar/days/", {"date": "2026-03-11", "kind": "workday"})
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
    assert admin_api.delete("/api/v1/calendar/days/2026-03-14/").status_code == 204
    assert admin_api.delete("/api/v1/calendar/days/2026-03-14/").status_code == 404
    assert admin_api.post("/api/v1/calendar/years/", {"year": 2028}).status_code == 201


def test_inspector_may_not_change(inspector_api):
    assert (
        inspector_api.post(
            "/api/v1/calendar/days/", {"date": "2026-03-14", "kind": "holiday"}
        ).status_code
        == 403
    )
    assert inspector_api.delete("/api/v1/calendar/days/2026-01-01/").status_code == 403
    assert inspector_api.post("/api/v1/calendar/years/", {"year": 2028}).status_code == 403
    assert CalendarDay.objects.filter(date=dt.date(2026, 1, 1)).exists()
    assert not AuditEvent.objects.filter(action__startswith="clocks.").exists()

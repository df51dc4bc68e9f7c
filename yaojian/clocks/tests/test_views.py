"""Calendar pages: read for everyone, changes for administrators, htmx partials."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.clocks.models import CalendarDay, CalendarYear

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def admin_client(client, user_in_department):
    client.force_login(user_in_department(role=Role.ADMINISTRATOR))
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def inspector_client(client, user_in_department):
    client.force_login(user_in_department(role=Role.INSPECTOR))
    client.cookies["django_language"] = "en"
    return client


def test_year_list_shows_counts_and_no_forms_to_inspectors(
    inspector_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = inspector_client.get(reverse("clocks:year_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="year-row"') == 3
    assert 'data-testid="year-create"' not in body
    assert 'data-testid="calculator"' in body


def test_year_list_partial(inspector_client):
    response = inspector_client.get(reverse("clocks:year_list"), **HTMX)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'data-testid="year-table"' in response.content


def test_year_detail_marks_holidays_and_make_up_days(inspector_client):
    response = inspector_client.get(reverse("clocks:year_detail", args=[2026]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="month"') == 12
    assert 'data-kind="holiday" data-date="2026-10-01"' in body
    assert 'data-kind="workday" data-date="2026-10-10"' in body
    assert 'data-testid="day-create"' not in body


def test_unknown_year_is_404(inspector_client):
    assert inspector_client.get(reverse("clocks:year_detail", args=[2031])).status_code == 404


def test_calculator_full_page_and_partial(inspector_client):
    url = reverse("clocks:calculator")
    response = inspector_client.get(url, {"start": "2026-09-30", "days": 3, "mode": "working"})
    assert response.status_code == 200
    assert b'data-testid="calculator-due">2026-10-10<' in response.content
    partial = inspector_client.get(
        url, {"start": "2026-09-30", "days": 3, "mode": "working"}, **HTMX
    )
    assert b"<html" not in partial.content
    assert b"2026-10-01" in partial.content


def test_calculator_beyond_the_calendar_is_422(inspector_client):
    response = inspector_client.get(
        reverse("clocks:calculator"), {"start": "2027-12-30", "days": 10, "mode": "working"}, **HTMX
    )
    assert response.status_code == 422
    assert b"does not cover 2028" in response.content


def test_inspector_cannot_post_changes(inspector_client):
    response = inspector_client.post(
        reverse("clocks:day_create", args=[2026]), {"date": "2026-03-14", "kind": "holiday"}
    )
    assert response.status_code == 403
    response = inspector_client.post(reverse("clocks:day_delete", args=["2026-01-01"]))
    assert response.status_code == 403
    assert CalendarDay.objects.filter(date=dt.date(2026, 1, 1)).exists()
    assert not AuditEvent.objects.filter(action__startswith="clocks.").exists()


def test_admin_adds_a_day_with_htmx(admin_client):
    response = admin_client.post(
        reverse("clocks:day_create", args=[2026]),
        {"date": "2026-03-14", "kind": "workday", "name": "调休"},
        **HTMX,
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'data-date="2026-03-14"' in response.content
    assert CalendarDay.objects.get(date=dt.date(2026, 3, 14)).kind == "workday"


def test_admin_add_day_error_is_422_in_place(admin_client):
    response = admin_client.post(
        reverse("clocks:day_create", args=[2026]),
        {"date": "2026-03-11", "kind": "workday"},
        **HTMX,
    )
    assert response.status_code == 422
    assert b"Saturday or a Sunday" in response.content
    assert not CalendarDay.objects.filter(date=dt.date(2026, 3, 11)).exists()


def test_admin_removes_a_day(admin_client):
    response = admin_client.post(reverse("clocks:day_delete", args=["2026-01-01"]))
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=dt.date(2026, 1, 1)).exists()


def test_admin_adds_and_imports_years(admin_client):
    response = admin_client.post(
        reverse("clocks:year_create"), {"year": 2028, "status": "provisional", "source": ""}
    )
    assert response.status_code == 302
    upload = SimpleUploadedFile("2029.csv", "date,kind,name\n2029-01-01,holiday,元旦\n".encode())
    response = admin_client.post(
        reverse("clocks:year_import"),
        {"year": 2029, "status": "official", "source": "通知", "file": upload},
    )
    assert response.status_code == 302
    assert CalendarYear.objects.filter(year__in=[2028, 2029]).count() == 2
    bad = SimpleUploadedFile("x.csv", b"2029-01-08,workday,x\n")  # a Monday
    response = admin_client.post(
        reverse("clocks:year_import"), {"year": 2029, "status": "official", "file": bad}
    )
    assert response.status_code == 422
    assert CalendarDay.objects.filter(date__year=2029).count() == 1


def test_scheduler_page_for_admins(admin_client):
    response = admin_client.get(reverse("clocks:scheduler"))
    assert response.status_code == 200
    assert b"jobs.fail_stale_jobs" in response.content


def test_scheduler_page_refused_to_inspectors(inspector_client):
    assert inspector_client.get(reverse("clocks:scheduler")).status_code == 403

"""Deadlines computed with a provisional holiday schedule (2027 today) carry the case clocks'
warning wherever they are shown, and follow the official schedule once it is loaded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import UserFactory
from yaojian.audit.models import AuditEvent
from yaojian.clocks import services as clock_services
from yaojian.clocks.models import CalendarYear, YearStatus
from yaojian.notices.services import send_notice

pytestmark = pytest.mark.django_db

MARK = 'data-testid="deadline-provisional"'
# A test "official" schedule that makes Monday 2027-01-04 a holiday.
OFFICIAL = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,测试\n"


def _load_official_2027(capture: Any) -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)
    with capture(execute=True):
        clock_services.import_calendar_year(
            actor=admin, year=2027, text=OFFICIAL, status=YearStatus.OFFICIAL, source="测试"
        )


def test_a_notice_due_in_a_provisional_year_is_marked_and_recomputed(
    world: Any, client: Any, django_capture_on_commit_callbacks: Any, api_client_for: Any
) -> None:
    assert CalendarYear.objects.get(year=2027).status == YearStatus.PROVISIONAL
    recipient = world.member(world.health, Role.INSPECTOR)
    with time_machine.travel(dt.datetime(2026, 12, 21, 2, tzinfo=dt.UTC), tick=False):
        (notice,) = send_notice(
            actor=world.inspector,
            sender_department=world.drug,
            recipient_departments=[world.health],
            subject="请核查",
            body="。",
            due_working_days=10,
        )
        assert (notice.due_on, notice.due_working_days) == (dt.date(2027, 1, 5), 10)
        client.force_login(recipient)
        pages = {
            name: client.get(url).content.decode()
            for name, url in {
                "inbox": reverse("notices:inbox"),
                "detail": reverse("notices:notice_detail", args=[notice.public_id]),
                "workbench": reverse("home"),
            }.items()
        }
        assert {name: MARK in page for name, page in pages.items()} == {
            "inbox": True,
            "detail": True,
            "workbench": True,
        }
        client.force_login(world.inspector)
        sent = client.get(reverse("notices:sent")).content.decode()
        assert MARK in sent
        api = api_client_for(recipient)
        answer = api.get(f"/api/v1/notices/{notice.public_id}/").json()
        assert (answer["due_on"], answer["due_on_provisional"]) == ("2027-01-05", True)

        _load_official_2027(django_capture_on_commit_callbacks)

        notice.refresh_from_db()
        assert notice.due_on == dt.date(2027, 1, 6)
        answer = api_client_for(recipient).get(f"/api/v1/notices/{notice.public_id}/").json()
        assert answer["due_on_provisional"] is False
        (event,) = AuditEvent.objects.filter(action="notices.due_recomputed")
        assert event.changes == {"due_on": ["2027-01-05", "2027-01-06"]}
        client.force_login(recipient)
        page = client.get(reverse("notices:notice_detail", args=[notice.public_id]))
        assert MARK not in page.content.decode()
        assert "2027-01-06" in page.content.decode()


def test_a_notice_due_this_year_has_no_mark_and_is_left_alone(
    world: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, 2, tzinfo=dt.UTC), tick=False):
        (notice,) = send_notice(
            actor=world.inspector,
            sender_department=world.drug,
            recipient_departments=[world.health],
            subject="请核查",
            body="。",
            due_working_days=10,
        )
        due = notice.due_on
        client.force_login(world.inspector)
        assert MARK not in client.get(reverse("notices:sent")).content.decode()
        _load_official_2027(django_capture_on_commit_callbacks)

    notice.refresh_from_db()
    assert notice.due_on == due
    assert not AuditEvent.objects.filter(action="notices.due_recomputed").exists()

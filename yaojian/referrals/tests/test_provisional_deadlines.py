"""A referral deadline in a provisional year (2027 today) is marked as provisional and follows
the official schedule once it is loaded (referral clocks are computed from their steps)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from yaojian.accounts.tests.factories import UserFactory
from yaojian.clocks import services as clock_services
from yaojian.clocks.models import YearStatus
from yaojian.referrals import services
from yaojian.referrals.clocks import referral_clocks

pytestmark = pytest.mark.django_db

MARK = 'data-testid="deadline-provisional"'


def test_a_referral_deadline_in_a_provisional_year_is_marked_and_follows_the_schedule(
    world: Any, client: Any, django_capture_on_commit_callbacks: Any, api_client_for: Any
) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 30, 2, tzinfo=dt.UTC), tick=False):
        referral = services.create_referral(
            actor=world.officer,
            case=world.case,
            suspected_crime="生产、销售假药罪",
            report="涉嫌犯罪。",
            team=[world.officer, world.colleague],
        )
        # 3 days from 2026-12-30 is Saturday 2027-01-02: rolled to Monday 2027-01-04.
        (decide,) = referral_clocks(referral)
        assert decide.due_at.date() == dt.date(2027, 1, 4)
        client.force_login(world.officer)
        pages = [
            client.get(reverse("referrals:referral_list")).content.decode(),
            client.get(
                reverse("referrals:referral_detail", args=[referral.public_id])
            ).content.decode(),
        ]
        assert [MARK in page for page in pages] == [True, True]
        url = f"/api/v1/referrals/{referral.public_id}/"
        (clock,) = api_client_for(world.officer).get(url).json()["clocks"]
        assert clock["provisional"] is True

        admin = UserFactory(is_superuser=True, is_staff=True)
        with django_capture_on_commit_callbacks(execute=True):
            clock_services.import_calendar_year(
                actor=admin,
                year=2027,
                text="date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,测试\n",
                status=YearStatus.OFFICIAL,
                source="测试",
            )

        (decide,) = referral_clocks(referral)
        assert decide.due_at.date() == dt.date(2027, 1, 5)
        page = client.get(reverse("referrals:referral_detail", args=[referral.public_id]))
        assert MARK not in page.content.decode()
        (clock,) = api_client_for(world.officer).get(url).json()["clocks"]
        assert clock["provisional"] is False

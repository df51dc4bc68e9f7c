"""Notices sent before the working days were stored get them (migration notices.0005), so their
due dates follow the holiday schedule like every other notice's (issue 9)."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
import time_machine
from django.apps import apps

from yaojian.notices.models import Notice
from yaojian.notices.services import send_notice
from yaojian.notices.services.notices import create_notice
from yaojian.notices.tests.test_provisional_deadlines import _load_official_2027

pytestmark = pytest.mark.django_db

migration = importlib.import_module("yaojian.notices.migrations.0005_backfill_due_working_days")


def _legacy_notice(world: Any) -> Notice:
    """A notice as 0003 left it: a due date (10 working days) and no working days."""
    with time_machine.travel(dt.datetime(2026, 12, 21, 2, tzinfo=dt.UTC), tick=False):
        (notice,) = send_notice(
            actor=world.inspector,
            sender_department=world.drug,
            recipient_departments=[world.health],
            subject="请核查",
            body="。",
            due_working_days=10,
        )
    Notice.objects.filter(pk=notice.pk).update(due_working_days=None)
    notice.refresh_from_db()
    assert (notice.due_on, notice.due_working_days) == (dt.date(2027, 1, 5), None)
    return notice


def test_the_migration_derives_the_working_days_and_the_clock_then_follows_the_schedule(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    notice = _legacy_notice(world)
    undated = _legacy_notice(world)
    Notice.objects.filter(pk=undated.pk).update(due_on=None)

    migration.backfill(apps, None)

    notice.refresh_from_db()
    undated.refresh_from_db()
    assert notice.due_working_days == 10
    assert undated.due_working_days is None  # no clock, nothing to derive
    # 2027's official schedule makes Monday 4 January a holiday: the due date moves a day.
    _load_official_2027(django_capture_on_commit_callbacks)
    notice.refresh_from_db()
    assert notice.due_on == dt.date(2027, 1, 6)


def test_without_the_working_days_the_clock_would_not_move(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    notice = _legacy_notice(world)

    _load_official_2027(django_capture_on_commit_callbacks)

    notice.refresh_from_db()
    assert notice.due_on == dt.date(2027, 1, 5)  # what the migration is for


def test_a_notice_given_only_a_due_date_stores_its_working_days(world: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, 2, tzinfo=dt.UTC), tick=False):
        notice = create_notice(
            actor=world.inspector,
            sender=world.drug,
            recipient=world.health,
            subject="请核查",
            body="。",
            due_on=dt.date(2026, 6, 15),  # Monday 1 June + 10 working days
        )
    assert notice.due_working_days == 10

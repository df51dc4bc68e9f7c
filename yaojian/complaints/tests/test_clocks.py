"""Every clock with the holidays of the calendar (Mid-Autumn and National Day 2026)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from yaojian.accounts.choices import Role
from yaojian.complaints import clocks, services
from yaojian.complaints.choices import Kind, State, Topic
from yaojian.complaints.tests.conftest import member, receive

# Wednesday 2026-09-23, 10:00 Beijing: then the Mid-Autumn (25–27 Sep) and National Day
# (1–7 Oct) holidays, and Saturday 10 Oct a make-up working day.
RECEIVED = dt.datetime(2026, 9, 23, 2, 0, tzinfo=dt.UTC)


def _clock(complaint: Any, key: str) -> clocks.Clock:
    return next(c for c in clocks.clocks_of(complaint) if c.key == key)


def test_complaint_accept_clock_skips_the_holidays(world: Any) -> None:
    c = receive(kind=Kind.COMPLAINT, topic=Topic.DRUG_QUALITY, when=RECEIVED).complaint
    assert _clock(c, "accept").due_on == dt.date(2026, 10, 10)
    assert (c.due_on, c.clock_kind) == (dt.date(2026, 10, 10), "accept")


def test_report_verification_clock_is_fifteen_working_days(world: Any) -> None:
    c = receive(when=RECEIVED).complaint
    assert _clock(c, "verify").due_on == dt.date(2026, 10, 21)


def test_periods_are_configuration(world: Any, settings: Any) -> None:
    settings.COMPLAINTS = {"accept_days": 10}
    c = receive(kind=Kind.COMPLAINT, topic=Topic.DRUG_QUALITY, when=RECEIVED).complaint
    assert _clock(c, "accept").due_on == dt.date(2026, 10, 14)


def test_mediation_ends_at_45_working_days_without_testing_time(world: Any) -> None:
    c = receive(kind=Kind.COMPLAINT, topic=Topic.DRUG_QUALITY, when=RECEIVED).complaint
    with time_machine.travel(RECEIVED, tick=False):
        c = services.accept_complaint(actor=world.officer, complaint=c)
        assert _clock(c, "accept").status(dt.date(2026, 9, 23)) == "done"
        assert _clock(c, "mediation").due_on == dt.date(2026, 12, 2)
        c = services.record_testing(actor=world.officer, complaint=c, days=3)
    assert _clock(c, "mediation").due_on == dt.date(2026, 12, 7)
    assert c.due_on == dt.date(2026, 12, 7)


def test_both_parties_told_within_seven_working_days_of_the_end(world: Any) -> None:
    c = receive(kind=Kind.COMPLAINT, topic=Topic.DRUG_QUALITY, when=RECEIVED).complaint
    with time_machine.travel(RECEIVED, tick=False):
        c = services.accept_complaint(actor=world.officer, complaint=c)
        c = services.end_mediation(
            actor=world.officer, complaint=c, agreed=False, reasons="双方分歧大"
        )
    assert c.state == State.MEDIATION_ENDED
    assert _clock(c, "notify_parties").due_on == dt.date(2026, 10, 10)
    assert c.clock_kind == "notify_parties"
    c = services.record_parties_notified(actor=world.officer, complaint=c)
    assert c.due_on is None


def test_real_name_reporter_told_within_five_working_days(world: Any) -> None:
    c = receive(when=RECEIVED).complaint
    with time_machine.travel(dt.datetime(2026, 9, 29, 2, 0, tzinfo=dt.UTC), tick=False):
        c = services.close_without_case(actor=world.officer, complaint=c, reasons="经核查无违法")
    assert _clock(c, "verify").status(dt.date(2026, 9, 29)) == "done"
    assert _clock(c, "tell_reporter").due_on == dt.date(2026, 10, 12)
    assert (c.clock_kind, c.due_on) == ("tell_reporter", dt.date(2026, 10, 12))


def test_anonymous_reporter_has_no_tell_clock(world: Any) -> None:
    c = receive(when=RECEIVED, is_anonymous=True).complaint
    c = services.close_without_case(actor=world.officer, complaint=c, reasons="经核查无违法")
    assert [k.key for k in clocks.clocks_of(c)] == ["verify"]
    assert c.due_on is None


def test_statuses_due_soon_and_overdue(world: Any) -> None:
    c = receive(kind=Kind.COMPLAINT, topic=Topic.DRUG_QUALITY, when=RECEIVED).complaint
    clock = _clock(c, "accept")
    assert clock.status(dt.date(2026, 9, 24)) == "on_time"
    assert clock.status(dt.date(2026, 10, 8)) == "due_soon"
    assert clock.status(dt.date(2026, 10, 12)) == "overdue"


def test_jurisdiction_dispute_clock_and_designation_by_the_superior(world: Any) -> None:
    c = receive(when=RECEIVED).complaint
    with time_machine.travel(RECEIVED, tick=False):
        c = services.raise_dispute(
            actor=world.officer, complaint=c, department=world.other, reason="行为发生在林周县"
        )
    assert _clock(c, "dispute").due_on == dt.date(2026, 10, 10)
    assert services.can_resolve_dispute(world.city_officer, c)
    assert services.can_resolve_dispute(world.other_officer, c)
    assert not services.can_resolve_dispute(world.insurance_officer, c)
    c = services.resolve_dispute(actor=world.city_officer, complaint=c, department=world.other)
    assert c.department == world.other
    assert _clock(c, "dispute").done_on is not None


def test_overdue_clock_is_escalated_once_to_the_office_above(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from yaojian.notices.models import Notice

    receive(kind=Kind.COMPLAINT, topic=Topic.DRUG_QUALITY, when=RECEIVED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue(today=dt.date(2026, 10, 12)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue(today=dt.date(2026, 10, 13)) == 0
    notice = Notice.objects.get(source_app="complaints", recipient=world.city)
    assert notice.sender == world.county


def test_unsettled_dispute_goes_to_the_common_superior_to_designate(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from yaojian.notices.models import Notice

    c = receive(when=RECEIVED).complaint  # Chengguan district, Lhasa
    with time_machine.travel(RECEIVED, tick=False):
        c = services.raise_dispute(
            actor=world.officer, complaint=c, department=world.remote, reason="行为发生在日喀则"
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue(today=dt.date(2026, 10, 12)) == 1
    notice = Notice.objects.get(source_app="complaints")
    assert notice.recipient == world.province  # not the city office above Chengguan
    assert c.number in notice.subject
    province_officer = member(world.province, Role.CASE_OFFICER, username="p_officer")
    assert services.can_resolve_dispute(province_officer, c)  # and it may designate

"""Clock edge cases over the real holiday calendar (2026, State Council notice).

Holidays used: 劳动节 2026-05-01…05 with the make-up working Saturday 2026-05-09;
国庆节 2026-10-01…07. The start day is excluded everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.enforcement import services
from yaojian.enforcement.choices import ClockKind, ClockUnit, PauseReason
from yaojian.enforcement.clocks import due_date, status_of
from yaojian.enforcement.tests.conftest import filed_case, new_clue

pytestmark = pytest.mark.django_db


def at(day: str) -> Any:
    """Travel to 09:00 Beijing time on ``day``."""
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T01:00:00+00:00"), tick=False)


# -- the arithmetic ---------------------------------------------------------------------------


def test_working_days_skip_the_holiday_and_count_the_make_up_saturday(regions: None) -> None:
    # Thu 2026-04-23 + 15 wd: 24, 27–30 (5), May 1–5 off, 6–8 (8), Sat 9 make-up (9),
    # 11–15 (14), Mon 18 (15).
    assert due_date(
        unit=ClockUnit.WORKING_DAYS,
        started_on=dt.date(2026, 4, 23),
        period=15,
        today=dt.date(2026, 4, 23),
    ) == dt.date(2026, 5, 18)


def test_a_working_day_period_can_end_on_the_make_up_saturday(regions: None) -> None:
    # Mon 2026-04-27 + 7 wd (先行登记保存): 28, 29, 30, May 6, 7, 8, Sat 9 (a working day).
    due = due_date(
        unit=ClockUnit.WORKING_DAYS,
        started_on=dt.date(2026, 4, 27),
        period=7,
        today=dt.date(2026, 4, 27),
    )
    assert due == dt.date(2026, 5, 9)
    assert due.weekday() == 5


def test_a_calendar_day_period_ending_on_a_holiday_moves_to_the_next_working_day(
    regions: None,
) -> None:
    # 2026-09-01 + 30 days = Thu 2026-10-01 (国庆节) → Thu 2026-10-08.
    assert due_date(
        unit=ClockUnit.DAYS, started_on=dt.date(2026, 9, 1), period=30, today=dt.date(2026, 9, 1)
    ) == dt.date(2026, 10, 8)


def test_pauses_are_excluded_in_the_clock_unit(regions: None) -> None:
    # A working-day clock paused over the Labour Day week loses only the working days.
    pause = [(dt.date(2026, 4, 29), dt.date(2026, 5, 7))]  # 30, May 6, 7 = 3 wd
    plain = due_date(
        unit=ClockUnit.WORKING_DAYS,
        started_on=dt.date(2026, 4, 23),
        period=15,
        today=dt.date(2026, 5, 7),
    )
    paused = due_date(
        unit=ClockUnit.WORKING_DAYS,
        started_on=dt.date(2026, 4, 23),
        period=15,
        pauses=pause,
        today=dt.date(2026, 5, 7),
    )
    assert (plain, paused) == (dt.date(2026, 5, 18), dt.date(2026, 5, 21))


# -- through the services ---------------------------------------------------------------------


def test_verification_clock_runs_over_the_labour_day_holiday(office: Any) -> None:
    with at("2026-04-23"):
        case = new_clue(office)
    clock = case.clocks.get(kind=ClockKind.VERIFICATION)
    assert (clock.unit, clock.period) == (ClockUnit.WORKING_DAYS, 15)
    assert clock.due_on == dt.date(2026, 5, 18)


def test_ninety_day_decision_clock_counts_calendar_days_and_rolls_past_national_day(
    office: Any,
) -> None:
    with at("2026-07-03"):
        case = filed_case(office)
    clock = case.clocks.get(kind=ClockKind.DECISION)
    assert (clock.unit, clock.period) == (ClockUnit.DAYS, 90)
    # 2026-07-03 + 90 days = 2026-10-01, a holiday → the first working day after the week off.
    assert clock.due_on == dt.date(2026, 10, 8)
    case.refresh_from_db()
    assert (case.next_due_on, case.next_clock_kind) == (dt.date(2026, 10, 8), ClockKind.DECISION)


def test_suspension_pauses_the_decision_clock_and_moves_its_due_date(office: Any) -> None:
    with at("2026-03-04"):
        case = filed_case(office)
    clock = case.clocks.get(kind=ClockKind.DECISION)
    assert clock.due_on == dt.date(2026, 6, 2)
    with at("2026-03-10"):
        services.pause_clock(
            actor=office.officer, clock=clock, reason=PauseReason.SUSPENSION, note="当事人下落不明"
        )
    with at("2026-03-15"):
        # While paused, an open pause counts up to today: the due date keeps moving.
        clock.refresh_from_db()
        assert clock.state == "paused"
        assert status_of(clock, dt.date(2026, 3, 15)).level == "paused"
        with pytest.raises(ValidationError) as excinfo:
            services.resume_clock(actor=office.officer, clock=clock, resumed_on="2026-03-09")
        assert excinfo.value.error_dict["resumed_on"][0].code == "resume_before_pause"
    with at("2026-03-20"):
        services.resume_clock(actor=office.officer, clock=clock)
    clock.refresh_from_db()
    # 10 calendar days excluded: 2026-06-12, a Friday.
    assert (clock.state, clock.due_on) == ("running", dt.date(2026, 6, 12))
    assert list(clock.pauses.values_list("started_on", "ended_on", "reason")) == [
        (dt.date(2026, 3, 10), dt.date(2026, 3, 20), PauseReason.SUSPENSION)
    ]
    case.refresh_from_db()
    assert case.next_due_on == dt.date(2026, 6, 12)


def test_testing_pauses_a_seizure_and_resuming_moves_its_due_date(office: Any) -> None:
    with at("2026-03-04"):
        case = filed_case(office)
        measure = services.apply_measure(
            actor=office.officer, case=case, kind="seizure", items="阿莫西林胶囊 20 盒"
        )
    clock = measure.clock
    assert clock.due_on == dt.date(2026, 4, 3)  # 30 calendar days, a Friday
    with at("2026-03-06"):
        services.pause_clock(actor=office.officer, clock=clock, reason=PauseReason.TESTING)
    with at("2026-03-20"):
        services.resume_clock(actor=office.officer, clock=clock, resumed_on="2026-03-16")
    clock.refresh_from_db()
    # 10 testing days excluded → 2026-04-13 (Monday; 04-04…06 清明 are not reached).
    assert clock.due_on == dt.date(2026, 4, 13)


def test_approved_extensions_add_time_and_are_limited(office: Any) -> None:
    with at("2026-04-23"):
        case = new_clue(office)
        clock = case.clocks.get(kind=ClockKind.VERIFICATION)
        with pytest.raises(ValidationError) as excinfo:
            services.request_extension(actor=office.officer, clock=clock, days=20, reason="需检验")
        assert excinfo.value.error_dict["days"][0].code == "too_long"
        extension = services.request_extension(
            actor=office.officer, clock=clock, days="", reason="需要检验检测"
        )
        assert extension.days == 15
        with pytest.raises(PermissionDenied):
            services.decide_extension(actor=office.officer, extension=extension, approve=True)
        clock.refresh_from_db()
        assert clock.due_on == dt.date(2026, 5, 18)  # unchanged until approved
        services.decide_extension(actor=office.head, extension=extension, approve=True)
        clock.refresh_from_db()
        # 30 wd from 2026-04-23: 2026-05-18 + 15 wd = 2026-06-08.
        assert clock.due_on == dt.date(2026, 6, 8)
        extension.refresh_from_db()
        assert (extension.state, extension.decided_by) == ("approved", office.head)
        with pytest.raises(ValidationError) as excinfo:
            services.request_extension(actor=office.officer, clock=clock, days=5, reason="再延期")
        assert excinfo.value.error_dict["days"][0].code == "extension_exhausted"


def test_decision_clock_extension_then_only_a_collective_decision(office: Any) -> None:
    with at("2026-03-04"):
        case = filed_case(office)
        clock = case.clocks.get(kind=ClockKind.DECISION)
        with pytest.raises(ValidationError) as excinfo:
            services.request_extension(
                actor=office.officer, clock=clock, days=30, reason="案情复杂", is_collective=True
            )
        assert excinfo.value.error_dict["is_collective"][0].code == "collective_too_early"
        first = services.request_extension(
            actor=office.officer, clock=clock, days=30, reason="案情复杂"
        )
        services.decide_extension(actor=office.head, extension=first, approve=True)
        clock.refresh_from_db()
        assert clock.due_on == dt.date(2026, 7, 2)  # 120 calendar days
        with pytest.raises(ValidationError):
            services.request_extension(actor=office.officer, clock=clock, days=30, reason="再延")
        refused = services.request_extension(
            actor=office.officer, clock=clock, days=45, reason="集体讨论延长", is_collective=True
        )
        services.decide_extension(actor=office.head, extension=refused, approve=False)
        clock.refresh_from_db()
        assert clock.due_on == dt.date(2026, 7, 2)  # a refused extension adds nothing
        collective = services.request_extension(
            actor=office.officer, clock=clock, days=45, reason="集体讨论延长", is_collective=True
        )
        services.decide_extension(actor=office.head, extension=collective, approve=True)
        clock.refresh_from_db()
        # 165 days from 2026-03-04 = Sun 2026-08-16 → Mon 2026-08-17.
        assert clock.due_on == dt.date(2026, 8, 17)


def test_due_soon_and_overdue_warnings(office: Any, settings: Any) -> None:
    with at("2026-04-23"):
        case = new_clue(office)
    clock = case.clocks.get(kind=ClockKind.VERIFICATION)  # due 2026-05-18
    assert status_of(clock, dt.date(2026, 5, 12)).level == "ok"  # 4 wd left
    assert status_of(clock, dt.date(2026, 5, 13)).level == "due_soon"  # 3 wd left
    assert status_of(clock, dt.date(2026, 5, 18)).level == "due_soon"
    assert status_of(clock, dt.date(2026, 5, 19)).level == "overdue"
    settings.ENFORCEMENT_CLOCKS = {"due_soon_wd": 5}
    assert status_of(clock, dt.date(2026, 5, 11)).level == "due_soon"

"""The due-date calculator explains which days were skipped."""

from __future__ import annotations

import datetime as dt

import pytest

from yaojian.clocks.calculator import CALENDAR, compute_due_date


@pytest.mark.django_db
def test_working_days_over_national_day_lists_the_holidays():
    # 2026-09-30 (Wed) + 3 working days: 1–7 October are the National Day holiday;
    # 10 October (Sat) is a make-up working day.
    result = compute_due_date(dt.date(2026, 9, 30), 3)
    assert result.due == dt.date(2026, 10, 10)
    skipped = [d.date for d in result.skipped]
    assert dt.date(2026, 10, 1) in skipped
    assert dt.date(2026, 10, 7) in skipped
    assert dt.date(2026, 10, 10) not in skipped


@pytest.mark.django_db
def test_calendar_days_roll_forward_past_a_weekend():
    # 2026-03-02 (Mon) + 5 days = Saturday 7 March → Monday 9 March
    result = compute_due_date(dt.date(2026, 3, 2), 5, mode=CALENDAR)
    assert result.due == dt.date(2026, 3, 9)
    assert [d.date for d in result.skipped] == [dt.date(2026, 3, 7), dt.date(2026, 3, 8)]


@pytest.mark.django_db
def test_calendar_days_ending_on_a_working_day_skip_nothing():
    result = compute_due_date(dt.date(2026, 3, 2), 3, mode=CALENDAR)
    assert (result.due, result.skipped) == (dt.date(2026, 3, 5), ())


@pytest.mark.django_db
def test_bad_count_is_refused():
    with pytest.raises(ValueError, match="0 至 1000"):
        compute_due_date(dt.date(2026, 3, 2), -1)

"""Working-day arithmetic against the 2025–2026 official arrangements."""

import datetime as dt

import pytest

from yaojian.clocks import calendar
from yaojian.clocks.calendar import CalendarNotCoveredError

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def test_weekends_holidays_and_makeup_days():
    assert calendar.is_working_day(D("2026-11-20"))  # Friday
    assert not calendar.is_working_day(D("2026-11-21"))  # Saturday
    assert not calendar.is_working_day(D("2026-10-01"))  # National Day
    assert calendar.is_working_day(D("2026-10-10"))  # Saturday, make-up working day
    assert calendar.is_working_day(D("2026-01-04"))  # Sunday, make-up working day


def test_add_working_days_excludes_the_start_day_and_skips_the_golden_week():
    # Friday 2026-09-25 is Mid-Autumn; the week after holds National Day.
    assert calendar.add_working_days(D("2026-11-20"), 1) == D("2026-11-23")
    assert calendar.add_working_days(D("2026-09-28"), 5) == D("2026-10-10")  # make-up Saturday
    # 15 working days from the eve of Spring Festival 2026 (make-ups 02-14 and 02-28 count).
    assert calendar.add_working_days(D("2026-02-13"), 1) == D("2026-02-14")
    assert calendar.add_working_days(D("2026-02-13"), 2) == D("2026-02-24")


def test_calendar_days_ending_on_a_holiday_roll_forward():
    assert calendar.add_days(D("2026-09-01"), 30) == D("2026-10-08")
    assert calendar.add_days(D("2026-09-01"), 30, roll_forward=False) == D("2026-10-01")


def test_working_days_between_is_the_inverse():
    start = D("2026-04-01")
    for n in range(40):
        assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


def test_uncovered_year_fails_loudly():
    with pytest.raises(CalendarNotCoveredError):
        calendar.add_working_days(D("2027-12-20"), 30)

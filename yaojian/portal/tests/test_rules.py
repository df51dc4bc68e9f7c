import datetime as dt
from decimal import Decimal

import pytest

from yaojian.portal import rules
from yaojian.portal.choices import DisplayRule


def rule(kinds, fine=None, years=None, region="540102", person=False):
    return rules.display_rule(
        penalty_kinds=kinds,
        fine_amount=None if fine is None else Decimal(fine),
        restriction_years=years,
        region_code=region,
        party_is_person=person,
    )


def test_public_criticism_is_shown_three_months():
    assert rule(("criticism",)) == DisplayRule.THREE_MONTHS


def test_a_low_fine_is_shown_three_months_threshold_included():
    assert rule(("fine",), "10000") == DisplayRule.THREE_MONTHS
    assert rule(("warning", "fine"), "9999.99") == DisplayRule.THREE_MONTHS


def test_a_fine_above_the_threshold_is_shown_three_years():
    assert rule(("fine",), "10000.01") == DisplayRule.THREE_YEARS


def test_natural_persons_have_their_own_threshold():
    assert rule(("fine",), "1000", person=True) == DisplayRule.THREE_MONTHS
    assert rule(("fine",), "1001", person=True) == DisplayRule.THREE_YEARS


def test_a_low_fine_with_confiscation_is_shown_three_years():
    assert rule(("fine", "confiscation"), "500") == DisplayRule.THREE_YEARS


def test_restrictions_over_three_years_are_shown_for_their_term():
    assert rule(("practice_ban",), years=10) == DisplayRule.RESTRICTION_TERM
    assert rule(("practice_ban",), years=3) == DisplayRule.THREE_YEARS


def test_the_threshold_is_configurable_per_province(settings):
    settings.PORTAL_LOW_FINE_THRESHOLDS = {"54": {"organisation": "20000"}}
    assert rule(("fine",), "20000") == DisplayRule.THREE_MONTHS
    assert rule(("fine",), "20000", region="110101") == DisplayRule.THREE_YEARS
    # The person's threshold falls back to the default.
    assert rule(("fine",), "1000", person=True) == DisplayRule.THREE_MONTHS


@pytest.mark.parametrize(
    ("start", "rule_", "years", "until"),
    [
        (dt.date(2025, 10, 9), DisplayRule.THREE_MONTHS, None, dt.date(2026, 1, 8)),
        (dt.date(2025, 10, 9), DisplayRule.THREE_YEARS, None, dt.date(2028, 10, 8)),
        (dt.date(2025, 10, 9), DisplayRule.RESTRICTION_TERM, 10, dt.date(2035, 10, 8)),
        (dt.date(2025, 11, 30), DisplayRule.THREE_MONTHS, None, dt.date(2026, 2, 27)),
    ],
)
def test_display_until(start, rule_, years, until):
    assert rules.display_until(start, rule_, years) == until


def test_never_stopped_kinds():
    assert not rules.may_stop_early(["fine", "licence_revocation"])
    assert not rules.may_stop_early(["suspension"])
    assert rules.may_stop_early(["fine", "confiscation"])


def test_a_lifetime_ban_is_displayed_for_its_actual_term():
    lifetime = rules.display_rule(
        penalty_kinds=("ban_person", "fine"),
        fine_amount=Decimal("500"),
        restriction_years=None,
        restriction_lifetime=True,
        region_code="540102",
        party_is_person=True,
    )

    assert lifetime == DisplayRule.RESTRICTION_TERM
    assert rules.display_until(dt.date(2026, 3, 4), lifetime, None, lifetime=True) == dt.date(
        9999, 12, 31
    )
    # A 3-year ban is not longer than 3 years: the 3-year rule.
    assert rule(("ban_person",), years=3) == DisplayRule.THREE_YEARS


def test_the_display_start_day_is_per_province(settings):
    settings.PROVINCIAL_RULES = {"54": {"display_counts_publication_day": False}}

    # Tibet: the day of publication does not count, the period starts the next day.
    assert rules.display_until(
        dt.date(2026, 3, 4), DisplayRule.THREE_MONTHS, None, region_code="540102"
    ) == dt.date(2026, 6, 4)
    # Elsewhere (default): the day of publication is the first day on display.
    assert rules.display_until(
        dt.date(2026, 3, 4), DisplayRule.THREE_MONTHS, None, region_code="110101"
    ) == dt.date(2026, 6, 3)


def test_the_low_fine_threshold_is_per_province(settings):
    settings.PROVINCIAL_RULES = {
        "": {"low_fine_organisation": 5000},
        "54": {"low_fine_organisation": 20000, "low_fine_person": 2000},
    }

    assert rule(("fine",), "20000") == DisplayRule.THREE_MONTHS
    assert rule(("fine",), "2000", person=True) == DisplayRule.THREE_MONTHS
    assert rule(("fine",), "5001", region="110101") == DisplayRule.THREE_YEARS
    assert rule(("fine",), "1000", region="110101", person=True) == DisplayRule.THREE_MONTHS

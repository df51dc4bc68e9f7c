"""The holiday calendar in a real browser: an administrator lists a make-up working day, an
inspector computes a deadline over it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import TEST_PASSWORD
from yaojian.clocks.models import CalendarDay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_adds_make_up_day_and_calculator_uses_it(page, sign_in, user_in_department):
    # given
    admin = user_in_department(role=Role.ADMINISTRATOR)
    sign_in(admin.username, TEST_PASSWORD)
    page.goto(reverse("clocks:year_detail", args=[2026]))
    # when: a weekday as make-up day is refused in place, then a Saturday is accepted
    form = page.get_by_test_id("day-create")
    form.locator("input[name=date]").fill("2026-03-11")
    form.locator("select[name=kind]").select_option("workday")
    form.get_by_test_id("day-submit").click()
    expect(page.locator("#year-days .errorlist")).to_be_visible()
    form = page.get_by_test_id("day-create")
    form.locator("input[name=date]").fill("2026-03-14")
    form.locator("select[name=kind]").select_option("workday")
    form.get_by_test_id("day-submit").click()
    expect(page.locator('[data-testid=day-row][data-date="2026-03-14"]')).to_be_visible()
    assert CalendarDay.objects.get(date=dt.date(2026, 3, 14)).kind == "workday"
    # then: 2026-03-13 (Fri) + 1 working day is now Saturday the 14th
    calculator = page.get_by_test_id("calculator")
    calculator.locator("input[name=start]").fill("2026-03-13")
    calculator.locator("input[name=days]").fill("1")
    calculator.get_by_test_id("calculator-submit").click()
    expect(page.get_by_test_id("calculator-due")).to_have_text("2026-03-14")


def test_inspector_reads_without_forms_and_sees_skipped_holidays(page, sign_in, user_in_department):
    inspector = user_in_department(role=Role.INSPECTOR)
    sign_in(inspector.username, TEST_PASSWORD)
    page.goto(reverse("clocks:year_list"))
    expect(page.get_by_test_id("year-row")).to_have_count(3)
    expect(page.get_by_test_id("year-create")).to_have_count(0)
    calculator = page.get_by_test_id("calculator")
    calculator.locator("input[name=start]").fill("2026-09-30")
    calculator.locator("input[name=days]").fill("3")
    calculator.get_by_test_id("calculator-submit").click()
    expect(page.get_by_test_id("calculator-due")).to_have_text("2026-10-10")
    expect(page.get_by_test_id("calculator-skipped")).to_contain_text("2026-10-01")

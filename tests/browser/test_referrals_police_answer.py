"""A police officer answers a transferred case in a real browser (行刑衔接).

The county market regulator's team reported a suspected crime, the head approved and the case
was transferred (rows made through the services before the browser starts). The officer of
the county public security bureau signs in, finds the referral on /referrals/, signs the
receipt and answers that a case is opened. Another police bureau sees nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
)
from yaojian.enforcement.choices import CaseStage, ClueSource
from yaojian.enforcement.models import Case
from yaojian.referrals import services
from yaojian.referrals.choices import ReferralState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _member(department, role, username):
    user = UserFactory(username=username)
    MembershipFactory(user=user, department=department, role=role)
    return user


@pytest.fixture
def referral(regions):
    market = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.MARKET_REGULATOR, level=DepartmentLevel.COUNTY
    )
    police = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.PUBLIC_SECURITY, level=DepartmentLevel.COUNTY
    )
    other = DepartmentFactory(
        region_id="540103", kind=DepartmentKind.PUBLIC_SECURITY, level=DepartmentLevel.COUNTY
    )
    officer = _member(market, Role.CASE_OFFICER, "officer")
    colleague = _member(market, Role.CASE_OFFICER, "colleague")
    head = _member(market, Role.DEPARTMENT_HEAD, "head")
    _member(police, Role.CASE_OFFICER, "police")
    _member(other, Role.CASE_OFFICER, "otherpolice")
    case = Case.objects.create(
        number="城市监立〔2026〕9号",
        department=market,
        region_id="540102",
        stage=CaseStage.INVESTIGATION,
        source=ClueSource.SAMPLING,
        title="销售假药案",
        party_name="拉萨某药店",
        clue_received_on=dt.date(2026, 3, 2),
    )
    made = services.create_referral(
        actor=officer,
        case=case,
        suspected_crime="生产、销售假药罪",
        report="经检验为假药，涉嫌犯罪。",
        team=[officer, colleague],
    )
    made = services.decide_referral(
        actor=head, referral=made, approve=True, police_department=police
    )
    return services.transfer_referral(actor=officer, referral=made)


def test_police_officer_signs_the_receipt_and_opens_a_case(page, sign_in, referral):
    sign_in("otherpolice", TEST_PASSWORD)
    page.goto(reverse("referrals:referral_list"))
    expect(page.get_by_test_id("referral-row")).to_have_count(0)
    page.context.clear_cookies()

    sign_in("police", TEST_PASSWORD)
    page.goto(reverse("referrals:referral_list"))
    expect(page.get_by_test_id("referral-row")).to_have_count(1)
    with page.expect_navigation():
        page.get_by_test_id("referral-row").get_by_role("link").click()
    expect(page.get_by_test_id("referral-state")).to_have_attribute("data-state", "transferred")
    form = page.get_by_test_id("step-receipt")
    form.locator("select[name=complexity]").select_option("ordinary")
    with page.expect_navigation():
        form.get_by_test_id("submit-receipt").click()
    expect(page.get_by_test_id("referral-state")).to_have_attribute("data-state", "received")
    answer = page.get_by_test_id("step-answer")
    answer.locator("select[name=accept]").select_option("1")
    answer.locator("input[name=police_case_number]").fill("城公刑立〔2026〕3号")
    with page.expect_navigation():
        answer.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("referral-state")).to_have_attribute("data-state", "accepted")

    referral.refresh_from_db()
    assert referral.state == ReferralState.ACCEPTED
    assert referral.police_case_number == "城公刑立〔2026〕3号"

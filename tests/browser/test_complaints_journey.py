"""Complaints and reports in Chromium at phone width (390 px).

An anonymous person reports a pharmacy that resells insured drugs bought back from patients and
gets a tracking number and a query code; the county office's officer turns the report into a
case clue with one click; the case ends with a fine (through the services, between page
actions); the reporter follows the report with the code and sees the outcome and the approved
reward. A complaint refused as out of remit shows the ground to the complainant.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
)
from yaojian.complaints import services
from yaojian.complaints.choices import RefusalGround, State
from yaojian.complaints.models import Complaint
from yaojian.enforcement.tests.factories import CredentialFactory
from yaojian.registry.tests.factories import EntityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _member(department: Any, role: str, username: str) -> Any:
    user = UserFactory(username=username)
    MembershipFactory(user=user, department=department, role=role)
    return user


@pytest.fixture
def office(regions: None) -> Any:
    county = DepartmentFactory(
        code="MSA-540102",
        name="城关区市场监督管理局",
        kind=DepartmentKind.MARKET_REGULATOR,
        level=DepartmentLevel.COUNTY,
        region_id="540102",
    )
    officer = _member(county, Role.CASE_OFFICER, "j_officer")
    officer2 = _member(county, Role.CASE_OFFICER, "j_officer2")
    CredentialFactory(user=officer)
    CredentialFactory(user=officer2)
    EntityFactory(registered_by=county, region_id="540102", name="城关区康宁大药房")
    return {
        "county": county,
        "officer": officer,
        "officer2": officer2,
        "head": _member(county, Role.DEPARTMENT_HEAD, "j_head"),
        "reviewer": _member(county, Role.LEGAL_REVIEWER, "j_reviewer"),
    }


def _answer(page: Any) -> str:
    question = page.get_by_test_id("challenge-question").inner_text()
    return str(sum(int(n) for n in re.findall(r"\d+", question)))


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_anonymous_report_to_case_outcome_and_reward_on_a_phone(
    page: Any, sign_in: Any, office: Any, screenshot: Any
) -> None:
    from yaojian.complaints.tests.conftest import decide_with_fine

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("portal:complaint_new", args=["report"]))
    _fits(page)
    page.select_option("#id_topic", "recycled_drugs")
    page.fill("#id_entity_q", "康宁")
    page.get_by_test_id("entity-search-button").click()
    page.get_by_test_id("entity-option").first.locator("input").check()
    expect(page.get_by_test_id("entity-option").first.locator("input")).to_be_checked()
    page.fill("#id_summary", "该药店回收患者用医保购买的药品后再次销售，店内有回收登记本。")
    page.fill("#id_products", "阿托伐他汀钙片")
    page.check("#id_is_anonymous")
    expect(page.locator("#id_name")).to_be_hidden()
    page.get_by_test_id("challenge-answer").fill(_answer(page))
    screenshot("complaints-report-form-390")
    page.get_by_test_id("complaint-submit").click()
    number = page.get_by_test_id("receipt-number").inner_text().strip()
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    _fits(page)
    screenshot("complaints-receipt-390")
    complaint = Complaint.objects.get(number=number)
    assert complaint.is_anonymous
    assert complaint.department == office["county"]

    sign_in("j_officer", TEST_PASSWORD)
    page.goto(reverse("complaints:detail", args=[complaint.public_id]))
    page.get_by_test_id("submit-make_clue").click()
    expect(page.get_by_test_id("complaint-state")).to_have_attribute("data-state", "clue")
    complaint.refresh_from_db()
    from yaojian.enforcement import services as enforcement

    case = complaint.case
    enforcement.begin_verification(
        actor=office["officer"], case=case, officers=[office["officer"], office["officer2"]]
    )
    enforcement.file_case(actor=office["head"], case=case)
    world = type("W", (), office)
    decide_with_fine(world, case, "150000")
    complaint.refresh_from_db()
    assert complaint.state == State.CLOSED
    reward = services.propose_reward(actor=office["officer"], complaint=complaint, tier="1")
    services.decide_reward(actor=office["head"], reward=reward, approve=True)

    page.context.clear_cookies()
    page.goto(reverse("portal:complaint_track"))
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    page.get_by_test_id("track-submit").click()
    expect(page.get_by_test_id("track-state")).to_have_attribute("data-state", "closed")
    expect(page.get_by_test_id("track-outcome")).to_contain_text("150000")
    expect(page.get_by_test_id("track-reward")).to_contain_text("7500.00")
    _fits(page)
    screenshot("complaints-track-390")
    page.fill("#id_payee_account", "6222000011112222")
    page.get_by_test_id("claim-submit").click()
    expect(page.get_by_test_id("track-reward")).to_have_attribute("data-state", "claimed")


def test_refused_complaint_shows_the_ground(page: Any, office: Any, screenshot: Any) -> None:
    receipt = services.receive(
        services.Submission(
            kind="complaint",
            topic="price_service",
            summary="药价比别家贵，要求退差价。",
            subject_name="某药店",
            region_code="540102",
            name="李四",
            phone="13800001111",
        ),
        actor=None,
        channel="web",
    )
    services.refuse_complaint(
        actor=office["officer"],
        complaint=receipt.complaint,
        ground=RefusalGround.OUTSIDE_REMIT,
        reasons="价格争议请向价格主管部门反映。",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("portal:complaint_new", args=["complaint"]))
    _fits(page)
    screenshot("complaints-complaint-form-390")
    page.goto(reverse("portal:complaint_track"))
    _fits(page)
    page.fill("#id_number", receipt.complaint.number)
    page.fill("#id_code", receipt.query_code)
    page.get_by_test_id("track-submit").click()
    expect(page.get_by_test_id("track-ground")).to_have_text("不属于本部门职责范围")
    expect(page.get_by_test_id("track-outcome")).to_contain_text("价格主管部门")
    _fits(page)
    screenshot("complaints-refused-track-390")
    # The refusal notice (不予受理告知书), downloaded with the query code.
    with page.expect_download() as download_info:
        page.get_by_test_id("track-notice-refusal").click()
    content = Path(download_info.value.path()).read_bytes()
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)
    text = "".join(text.replace("\x00", "").split())
    assert "投诉不予受理告知书" in text
    assert receipt.complaint.number in text
    assert "李四" not in text
    assert "13800001111" not in text

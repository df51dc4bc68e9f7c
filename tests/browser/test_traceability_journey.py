"""An insurance officer handles a traceability alert in a real browser (回流药).

A clinic settled a pack twice (rows ingested through the service before the browser starts).
The county insurance officer opens the alert, reads the pack's chain of custody with the
anomaly marked, turns the alert into a case clue; the county drug regulator sees the notice.
"""

from __future__ import annotations

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
from yaojian.enforcement.choices import ClueSource
from yaojian.enforcement.models import Case
from yaojian.traceability import services
from yaojian.traceability.models import Alert
from yaojian.traceability.tests.helpers import CLINIC, Events

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_insurance_officer_turns_an_alert_into_a_clue_and_the_regulator_is_told(
    page, sign_in, regions, settings, tmp_path
):
    settings.TRACE_STORE_DIR = tmp_path / "store"
    insurance = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.MEDICAL_INSURANCE, level=DepartmentLevel.COUNTY
    )
    regulator = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.DRUG_REGULATOR, level=DepartmentLevel.COUNTY
    )
    officer = UserFactory(username="insurer")
    MembershipFactory(user=officer, department=insurance, role=Role.CASE_OFFICER)
    inspector = UserFactory(username="regulator")
    MembershipFactory(user=inspector, department=regulator, role=Role.CASE_OFFICER)
    events = Events()
    events.supply()
    events.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    events.add("dispense", "2026-03-09T09:00:00+08:00", CLINIC, insured="p2", settlement="s2")
    services.ingest_folder(actor=None, folder=events.write(tmp_path / "in"), idempotency_key="j")
    alert = Alert.objects.get()

    sign_in("insurer", TEST_PASSWORD)
    page.goto(reverse("traceability:alert_list"))
    page.get_by_test_id("alert-link").first.click()
    expect(page.get_by_test_id("flag-table")).to_contain_text("重复结算")
    page.get_by_test_id("pack-link").first.click()
    expect(page.get_by_test_id("timeline-event")).to_have_count(7)
    expect(page.get_by_test_id("anomaly-mark").first).to_be_visible()
    page.go_back()
    with page.expect_navigation():
        page.get_by_test_id("make-clue").click()
    case = Case.objects.get()
    assert (case.source, case.party_credit_code) == (ClueSource.TRACEABILITY, CLINIC)
    alert.refresh_from_db()
    assert (alert.status, alert.case_public_id) == ("escalated", str(case.public_id))

    page.context.clear_cookies()
    sign_in("regulator", TEST_PASSWORD)
    page.goto(reverse("notices:inbox"))
    expect(page.locator("body")).to_contain_text(CLINIC)


def test_anyone_checks_a_pack_from_the_public_portal_on_a_phone(
    page, regions, settings, tmp_path, screenshot
):
    """The public code check is linked from the portal; at 390 px nothing scrolls sideways."""
    settings.TRACE_STORE_DIR = tmp_path / "store"
    events = Events()
    events.supply()
    events.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    events.add("dispense", "2026-03-09T09:00:00+08:00", CLINIC, insured="p2", settlement="s2")
    services.ingest_folder(actor=None, folder=events.write(tmp_path / "in"), idempotency_key="p")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("portal:home"))
    expect(page.get_by_test_id("home-code-check")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("trace-portal-home-390")
    with page.expect_navigation():
        page.get_by_test_id("nav-code-check").click()
    expect(page.get_by_test_id("page-help")).to_be_attached()
    page.get_by_test_id("code-input").fill(events.code)
    with page.expect_navigation():
        page.get_by_test_id("check-submit").click()
    answer = page.get_by_test_id("check-answer")
    expect(answer).to_have_attribute("data-answer", "many")
    expect(page.get_by_test_id("check-report")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    body = page.locator("body").inner_text()
    assert "p1" not in body
    assert CLINIC not in body
    screenshot("trace-public-check-390")
    page.get_by_test_id("code-input").fill("6901234567892")
    with page.expect_navigation():
        page.get_by_test_id("check-submit").click()
    expect(page.get_by_test_id("check-invalid")).to_contain_text("商品码")


def test_an_officer_uploads_events_and_reads_why_rows_were_refused(
    page, sign_in, regions, settings, tmp_path, screenshot
):
    """The upload lands on the batch page: its job's outcome, the refused file, the bad rows."""
    settings.TRACE_STORE_DIR = tmp_path / "store"
    settings.VAR_DIR = tmp_path / "var"
    insurance = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.MEDICAL_INSURANCE, level=DepartmentLevel.COUNTY
    )
    MembershipFactory(
        user=UserFactory(username="uploader"), department=insurance, role=Role.INSPECTOR
    )
    events = Events()
    events.supply()
    events.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    events.add(
        "dispense",
        "2026-03-02T10:00:00+08:00",
        CLINIC,
        insured="p1",
        settlement="s2",
        code="6901234567892",
    )
    folder = events.write(tmp_path / "in")
    good = folder / "events.csv"
    gb = tmp_path / "gbk.csv"
    gb.write_bytes(good.read_text(encoding="utf-8").replace("国药", "國藥").encode("gb18030"))

    sign_in("uploader", TEST_PASSWORD)
    page.goto(reverse("traceability:batch_list"))
    page.set_input_files("#trace-files", [str(good), str(gb)])
    with page.expect_navigation():
        page.get_by_test_id("ingest-submit").click()
    expect(page.get_by_test_id("batch-status")).to_have_attribute("data-state", "done")
    expect(page.get_by_test_id("batch-stored")).to_have_text("6")
    expect(page.get_by_test_id("refused-files")).to_contain_text("GB18030")
    expect(page.get_by_test_id("rejected-row")).to_have_count(1)
    expect(page.get_by_test_id("rejected-table")).to_contain_text("商品码")
    screenshot("trace-batch-detail")

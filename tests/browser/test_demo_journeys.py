"""The user guide's demo journeys, with the demo province and every demo account, in Chromium.

``seed_demo`` builds the demo province (a small one: 200 entities) into the test database; each
demo account then does its main task through the pages, as docs/user-guide/README.md tells it:

1. *Problems and notices*: ``inspector`` finds a pharmacy of 城关区 and records a problem;
   ``insurance`` and ``health`` find the pushes in their inbox, ``insurance`` acknowledges and
   answers; ``culture`` reads its inbox; ``inspector2`` (another county) gets a 404 for the
   pharmacy; ``auditor`` opens the audit trail of the department.
2. *Cases, referrals and the leader*: ``head`` files a case from "waiting for your approval";
   ``reviewer`` has reviews waiting; ``caseofficer`` opens "my work"; ``police`` signs the
   receipt of a referral and answers it; ``leader`` sees the province's cases on the dashboard;
   the public site (390 px) lists the decisions the seed published.
3. *Data and administration*: ``steward`` uploads the licence-register template and sees it
   imported at once; ``admin`` opens the holiday calendar and the hand-off outbox.

Screenshots at 1280 px and 390 px go to var/screenshots/demo-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from yaojian.accounts.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(regions: None, settings: Any) -> None:
    """The demo province (small), every demo account with the test password."""
    settings.ENFORCEMENT_RENDER_DOCUMENTS = False  # PDFs are the documents app's business
    call_command("seed_demo", province="54", entities=200, password=TEST_PASSWORD, verbosity=0)


@pytest.fixture
def as_user(browser: Any, live_server: Any) -> Iterator[Callable[[str], Any]]:
    """``as_user(username)``: a page in its own browser context, signed in (Chinese UI)."""
    contexts: list[Any] = []

    def open_page(username: str) -> Any:
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(reverse("accounts:login"))
        page.get_by_test_id("login-username").fill(username)
        page.get_by_test_id("login-password").fill(TEST_PASSWORD)
        with page.expect_navigation():
            page.get_by_test_id("login-submit").click()
        expect(page.get_by_test_id("user-menu")).to_be_visible()
        return page

    yield open_page
    for context in contexts:
        context.close()


def shots(page: Any, name: str) -> None:
    """Full-page screenshots at desktop width and at 390 px; the page must not scroll sideways
    on the phone."""
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SCREENSHOTS / f"demo-{name}-desktop.png"), full_page=True)
    page.set_viewport_size(MOBILE)
    page.screenshot(path=str(SCREENSHOTS / f"demo-{name}-390.png"), full_page=True)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    page.set_viewport_size(DESKTOP)
    assert overflow <= 1, f"{name}: {overflow}px wider than a 390 px phone"


def path_of(page: Any) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def no_server_error(page: Any) -> None:
    expect(page.locator("body")).not_to_contain_text("Server Error")


def test_problems_and_notices_between_departments(
    demo: None, as_user: Callable[[str], Any]
) -> None:
    from yaojian.notices.models import Notice
    from yaojian.registry.models import Entity

    pharmacy = (
        Entity.objects.filter(region_id="540102", kind="single_pharmacy").order_by("id").first()
    )
    assert pharmacy is not None

    # inspector: the first page, the pharmacy found by name, its profile, a problem recorded.
    inspector = as_user("inspector")
    shots(inspector, "inspector-workbench")
    inspector.get_by_test_id("global-search").fill(pharmacy.name)
    inspector.get_by_test_id("global-search").press("Enter")
    inspector.wait_for_load_state()
    inspector.get_by_role("link", name=pharmacy.name).first.click()
    inspector.wait_for_load_state()
    assert path_of(inspector) == reverse("registry:entity_detail", args=[pharmacy.public_id])
    shots(inspector, "inspector-profile")
    inspector.goto(reverse("notices:problem_create") + f"?entity={pharmacy.public_id}")
    inspector.get_by_test_id("problem-category").select_option("insurance_fraud")
    inspector.get_by_test_id("problem-description").fill("同一盒药品在两家定点药店重复结算。")
    expect(inspector.get_by_test_id("problem-preview")).to_contain_text("医疗保障局")
    shots(inspector, "inspector-problem-form")
    with inspector.expect_navigation():
        inspector.get_by_test_id("problem-submit").click()
    expect(inspector.get_by_test_id("problem-notice").first).to_be_visible()
    shots(inspector, "inspector-problem-detail")
    notice = Notice.objects.filter(
        problem__entity=pharmacy,
        problem__category__code="insurance_fraud",
        recipient__code="NHSA-540102",
    ).get()

    # insurance: the push is in the inbox; opened, acknowledged and answered.
    insurance = as_user("insurance")
    insurance.goto(reverse("notices:inbox"))
    expect(
        insurance.get_by_test_id("inbox-table").locator(f"a[href*='{notice.public_id}']").first
    ).to_be_visible()
    shots(insurance, "insurance-inbox")
    insurance.get_by_test_id("inbox-table").locator(f"a[href*='{notice.public_id}']").first.click()
    insurance.wait_for_load_state()
    with insurance.expect_navigation():
        insurance.get_by_test_id("notice-acknowledge").click()
    insurance.get_by_test_id("answer-text").fill("已对相关结算拒付，追回基金 3,678 元。")
    with insurance.expect_navigation():
        insurance.get_by_test_id("notice-answer-submit").click()
    expect(insurance.get_by_test_id("notice-answer")).to_contain_text("追回基金")
    shots(insurance, "insurance-notice")
    insurance.reload()
    notice.refresh_from_db()
    assert notice.state == "answered"
    assert (
        notice.events.filter(kind="viewed", actor__username="insurance").count() == 1
    )  # seen once, not per page load

    # health and culture: their inboxes hold the pushes their routing rules send.
    health = as_user("health")
    health.goto(reverse("notices:inbox"))
    assert Notice.objects.filter(recipient__code="HC-540102").exists()
    expect(health.get_by_test_id("inbox-row").first).to_be_visible()
    shots(health, "health-inbox")
    culture = as_user("culture")
    culture.goto(reverse("notices:inbox"))
    expect(culture.get_by_test_id("inbox-row").first).to_be_visible()

    # inspector2, another county: the pharmacy does not exist for them.
    other = as_user("inspector2")
    response = other.goto(reverse("registry:entity_detail", args=[pharmacy.public_id]))
    assert response is not None
    assert response.status == 404

    # auditor: the audit trail of the department renders (its sign-ins at least).
    auditor = as_user("auditor")
    auditor.goto(reverse("audit:event_list"))
    no_server_error(auditor)
    # the action in words (zh-hans), its code kept in data-action
    events = auditor.get_by_test_id("audit-events")
    expect(events.locator('[data-action="accounts.login"]').first).to_contain_text("登录")
    shots(auditor, "auditor-trail")


def test_cases_referrals_and_the_leaders_province(
    demo: None, as_user: Callable[[str], Any], page: Any
) -> None:
    from yaojian.enforcement.models import Case
    from yaojian.referrals.models import Referral

    # head: the filings waiting for approval, counted on the first page; one is filed.
    head = as_user("head")
    approvals = head.get_by_test_id("section-approvals")
    expect(approvals).to_be_visible()
    assert int(approvals.get_by_test_id("section-count").inner_text()) > 0
    shots(head, "head-workbench")
    approvals.get_by_test_id("work-link").filter(has_text="待立案").first.click()
    head.wait_for_load_state()
    case = Case.objects.get(public_id=path_of(head).rstrip("/").rsplit("/", 1)[1])
    action = head.get_by_test_id("action-file")
    action.locator("summary").click()
    action.locator("textarea[name=file-opinion]").fill("同意立案。")
    with head.expect_navigation():
        action.get_by_test_id("submit-file").click()
    expect(head.get_by_test_id("case-stage")).to_have_attribute("data-stage", "investigation")
    shots(head, "head-case-filed")
    case.refresh_from_db()
    assert case.stage == "investigation"

    # reviewer: the reviews waiting, with a count; caseofficer: my work.
    reviewer = as_user("reviewer")
    reviews = reviewer.get_by_test_id("section-reviews")
    assert int(reviews.get_by_test_id("section-count").inner_text()) > 0
    reviews.get_by_test_id("work-link").first.click()
    reviewer.wait_for_load_state()
    expect(reviewer.get_by_test_id("action-review")).to_be_visible()
    shots(reviewer, "reviewer-case")
    officer = as_user("caseofficer")
    officer.goto(reverse("enforcement:my_work"))
    expect(officer.get_by_test_id("my-case-row").first).to_be_visible()
    shots(officer, "caseofficer-my-work")

    # police: a referral waiting for the police; receipt signed, a case opened.
    referral = Referral.objects.filter(state="transferred").order_by("id").first()
    assert referral is not None
    police = as_user("police")
    expect(police.get_by_test_id("section-referrals")).to_be_visible()
    police.goto(reverse("referrals:referral_detail", args=[referral.public_id]))
    shots(police, "police-referral")
    police.get_by_test_id("step-receipt").locator("select[name=complexity]").select_option(
        "ordinary"
    )
    with police.expect_navigation():
        police.get_by_test_id("submit-receipt").click()
    answer = police.get_by_test_id("step-answer")
    answer.locator("select[name=accept]").select_option("1")
    answer.locator("input[name=police_case_number]").fill("拉公（经）立字〔2026〕88号")
    with police.expect_navigation():
        police.get_by_test_id("submit-answer").click()
    referral.refresh_from_db()
    assert referral.state == "accepted"
    shots(police, "police-referral-answered")

    # leader: the province's cases on the dashboard.
    leader = as_user("leader")
    leader.goto(reverse("dashboard:dashboard"))
    cases = leader.get_by_test_id("kn-cases")
    expect(cases).to_be_visible()
    assert int(re.sub(r"\D", "", cases.inner_text()) or 0) > 0
    shots(leader, "leader-dashboard")

    # The public site on a phone: the decisions the seed published.
    page.set_viewport_size(MOBILE)
    page.goto(reverse("portal:penalty_list"))
    expect(page.get_by_test_id("penalty-row").first).to_be_visible()
    shots(page, "public-penalties")


def test_data_import_and_administration(demo: None, as_user: Callable[[str], Any]) -> None:
    from yaojian.exchange.reports import template_xlsx

    # steward: the licence-register template (its sample row) imported at once.
    steward = as_user("steward")
    steward.goto(reverse("exchange:overview"))
    shots(steward, "steward-exchange")
    steward.goto(reverse("exchange:upload"))
    steward.locator("select[name=kind]").select_option("licence_register")
    steward.locator("input[name=file]").set_input_files(
        {
            "name": "许可证台账.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": template_xlsx("licence_register"),
        }
    )
    with steward.expect_navigation():
        steward.get_by_test_id("exchange-upload-submit").click()
    expect(steward.get_by_test_id("batch-status")).to_have_attribute("data-status", "applied")
    expect(steward.get_by_test_id("count-accepted")).to_have_text("1")
    shots(steward, "steward-batch")
    steward.goto(reverse("linkage:review_list"))
    no_server_error(steward)
    shots(steward, "steward-link-reviews")

    # admin: the holiday calendar and the hand-offs between departments.
    admin = as_user("admin")
    admin.goto(reverse("clocks:year_list"))
    no_server_error(admin)
    shots(admin, "admin-calendar")
    admin.goto(reverse("outbox:message_list"))
    no_server_error(admin)
    expect(admin.get_by_test_id("handoff-table")).not_to_contain_text("handlers.")
    shots(admin, "admin-outbox")

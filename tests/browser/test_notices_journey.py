"""A problem pushed between departments, in a real browser (信息推送).

An inspector of the county market regulator records that a pharmacy sold counterfeit drugs;
the form previews the departments the rules send it to. The insurance officer of the city
bureau (no county bureau exists) finds the notice unread in the inbox, opens it (read),
acknowledges it and answers with an outcome and a file; the inspector then sees the answer
on the sent page and on the problem's page. The county health commission got its own notice.

All rows are made before the browser starts; the database is read again only at the end,
once the pages have settled.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from playwright.sync_api import expect

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
)
from yaojian.audit.models import AuditEvent
from yaojian.notices.choices import NoticeEventKind, NoticeState
from yaojian.notices.models import Notice, Problem
from yaojian.registry.choices import EntityKind
from yaojian.registry.tests.factories import EntityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHARMACY = "城关区康宁大药房"
DESCRIPTION = "该药房销售的“阿莫西林胶囊”经检验为假药，批号20250311。"
OUTCOME = "已核查该药房医保结算记录：涉事药品结算23笔，金额4,560元，已拒付并追回。"
EVIDENCE = b"%PDF-1.4 inspection record\n"
SETTLEMENTS = b"settlement,amount\n1,198.00\n"


def _seed_rules() -> None:
    """Transactional tests flush the rows the migration seeded: seed them again (idempotent)."""
    migration = importlib.import_module("yaojian.notices.migrations.0002_seed_categories_and_rules")
    migration.seed(django_apps, None)


def _member(department, role: str, username: str):
    user = UserFactory(username=username)
    MembershipFactory(user=user, department=department, role=role)
    return user


@pytest.fixture
def county(regions):
    _seed_rules()
    market = DepartmentFactory(
        code="SC-540102",
        name="城关区市场监督管理局",
        kind=DepartmentKind.MARKET_REGULATOR,
        region_id="540102",
        level=DepartmentLevel.COUNTY,
    )
    health = DepartmentFactory(
        code="WJ-540102",
        name="城关区卫生健康委员会",
        kind=DepartmentKind.HEALTH_COMMISSION,
        region_id="540102",
        level=DepartmentLevel.COUNTY,
    )
    insurance = DepartmentFactory(
        code="YB-540100",
        name="拉萨市医疗保障局",
        kind=DepartmentKind.MEDICAL_INSURANCE,
        region_id="540100",
        level=DepartmentLevel.CITY,
    )
    return {
        "market": market,
        "health": health,
        "insurance": insurance,
        "inspector": _member(market, Role.INSPECTOR, "zhaxi_inspector"),
        "insurer": _member(insurance, Role.CASE_OFFICER, "yb_officer"),
        "health_officer": _member(health, Role.CASE_OFFICER, "wj_officer"),
        "pharmacy": EntityFactory(
            name=PHARMACY, kind=EntityKind.SINGLE_PHARMACY, region_id="540102"
        ),
    }


def test_counterfeit_sale_goes_to_insurance_and_health_and_the_answer_comes_back(
    page, sign_in, screenshot, county
):
    inspector, insurer = county["inspector"], county["insurer"]
    health_officer = county["health_officer"]

    # --- the inspector records the problem and sees where it will go -----------------------
    sign_in(inspector.username, TEST_PASSWORD)
    page.goto(reverse("notices:problem_create"))
    form = page.get_by_test_id("problem-form")
    preview = page.get_by_test_id("problem-preview")
    form.get_by_test_id("problem-category").select_option("counterfeit_drug")
    # without an entity, only the rules for any entity apply (the city police: none here)
    expect(preview.get_by_test_id("preview-recipient")).to_have_count(0)
    page.get_by_test_id("entity-search").press_sequentially("康宁")
    page.get_by_test_id("entity-choice").filter(has_text=PHARMACY).click()
    expect(page.get_by_test_id("entity-chosen")).to_have_text(PHARMACY)
    recipients = preview.get_by_test_id("preview-recipient")
    expect(recipients).to_have_count(2)
    expect(recipients.nth(0)).to_contain_text("城关区卫生健康委员会")
    expect(recipients.nth(1)).to_contain_text("拉萨市医疗保障局")
    expect(recipients.nth(1)).to_contain_text("10")
    form.get_by_test_id("problem-description").fill(DESCRIPTION)
    form.locator("input[name=found_on]").fill("2026-03-02")
    form.locator("input[name=attachments]").set_input_files(
        files=[{"name": "检验报告.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE}]
    )
    screenshot("notices-problem-form")
    form.get_by_test_id("problem-submit").click()

    # then: the problem's page lists the two notices, unread
    expect(page).to_have_url(re.compile(r"/notices/problems/[0-9a-f-]{36}/$"))
    expect(page.get_by_test_id("problem-title")).to_contain_text(PHARMACY)
    rows = page.get_by_test_id("problem-notice")
    expect(rows).to_have_count(2)
    problem_url = page.url

    # --- the insurance officer finds it unread, reads, acknowledges and answers ------------
    page.context.clear_cookies()
    sign_in(insurer.username, TEST_PASSWORD)
    page.goto(reverse("notices:inbox") + "?state=unread")
    inbox_rows = page.get_by_test_id("inbox-row")
    expect(inbox_rows).to_have_count(1)
    expect(inbox_rows.first).to_have_attribute("data-state", NoticeState.UNREAD)
    expect(inbox_rows.first).to_contain_text("城关区市场监督管理局")
    expect(inbox_rows.first.get_by_test_id("badge-days-left")).to_be_visible()
    inbox_rows.first.get_by_role("link").first.click()
    state = page.get_by_test_id("notice-state")
    expect(state).to_have_attribute("data-state", NoticeState.READ)
    expect(page.get_by_test_id("notice-expected")).to_contain_text("医保结算")
    page.get_by_test_id("notice-acknowledge").click()
    expect(state).to_have_attribute("data-state", NoticeState.ACKNOWLEDGED)
    answer_form = page.get_by_test_id("answer-form")
    answer_form.get_by_test_id("answer-text").fill(OUTCOME)
    answer_form.locator("input[name=attachments]").set_input_files(
        files=[{"name": "结算明细.csv", "mimeType": "text/csv", "buffer": SETTLEMENTS}]
    )
    answer_form.get_by_test_id("notice-answer-submit").click()
    expect(state).to_have_attribute("data-state", NoticeState.ANSWERED)
    expect(page.get_by_test_id("notice-answer")).to_have_text(OUTCOME)
    expect(page.get_by_test_id("attachment")).to_have_text("结算明细.csv")
    timeline = page.get_by_test_id("notice-timeline").locator("li")
    # sent, viewed, acknowledged, answered: a person's first opening is recorded, reloads are not
    expect(timeline).to_have_count(4)
    screenshot("notices-answered")
    # the inbox no longer shows it unread
    page.goto(reverse("notices:inbox") + "?state=unread")
    expect(page.get_by_test_id("inbox-row")).to_have_count(0)

    # --- the health commission has its own notice, unread ----------------------------------
    page.context.clear_cookies()
    sign_in(health_officer.username, TEST_PASSWORD)
    page.goto(reverse("notices:inbox"))
    health_rows = page.get_by_test_id("inbox-row")
    expect(health_rows).to_have_count(1)
    expect(health_rows.first).to_have_attribute("data-state", NoticeState.UNREAD)

    # --- the inspector sees the answer ------------------------------------------------------
    page.context.clear_cookies()
    sign_in(inspector.username, TEST_PASSWORD)
    page.goto(reverse("notices:sent"))
    sent = page.get_by_test_id("sent-row")
    expect(sent).to_have_count(2)
    answered = sent.filter(has_text="拉萨市医疗保障局")
    expect(answered).to_have_attribute("data-state", NoticeState.ANSWERED)
    expect(answered.get_by_test_id("sent-answer")).to_contain_text(OUTCOME)
    expect(answered.get_by_test_id("sent-answer")).to_contain_text("结算明细.csv")
    expect(sent.filter(has_text="城关区卫生健康委员会")).to_have_attribute(
        "data-state", NoticeState.UNREAD
    )
    page.goto(problem_url)
    expect(page.get_by_test_id("problem-notice").filter(has_text=OUTCOME)).to_have_count(1)
    screenshot("notices-answer-seen-by-sender")
    page.wait_for_load_state("networkidle")

    # --- and the database agrees (read once the pages have settled) -------------------------
    problem = Problem.objects.get()
    assert problem.department == county["market"]
    assert problem.entity == county["pharmacy"]
    assert [a.name for a in problem.attachments.all()] == ["检验报告.pdf"]
    notices = {n.recipient.code: n for n in Notice.objects.filter(problem=problem)}
    assert sorted(notices) == ["WJ-540102", "YB-540100"]
    to_insurance, to_health = notices["YB-540100"], notices["WJ-540102"]
    assert to_insurance.state == NoticeState.ANSWERED
    assert to_insurance.answer == OUTCOME
    assert to_insurance.answered_by == insurer
    assert [a.file.read() for a in to_insurance.attachments.all()] == [SETTLEMENTS]
    assert list(to_insurance.events.values_list("kind", "actor__username")) == [
        (NoticeEventKind.SENT, inspector.username),
        (NoticeEventKind.VIEWED, insurer.username),
        (NoticeEventKind.ACKNOWLEDGED, insurer.username),
        (NoticeEventKind.ANSWERED, insurer.username),
    ]
    assert to_health.state == NoticeState.UNREAD
    assert "供货的医疗机构" in to_health.expected_answer
    assert AuditEvent.objects.filter(action="notices.problem_recorded").count() == 1

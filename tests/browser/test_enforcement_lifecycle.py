"""A case from the clue to the decision, through the pages, in a real browser.

An inspector records a clue about a pharmacy; a case officer starts the verification with a
colleague; the head files the case; the officer adds evidence and proposes a fine and the
revocation of the pharmacy's licence; the legal reviewer approves; the officer notifies the
party, who waives the defence; the head decides. The registry profile then shows the licence
revoked; the decision waits in the publication queue, the head publishes it, and anyone finds it
on the public page without signing in, with no personal data of the people behind the pharmacy;
an officer of another department gets a 404 for the case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

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
from yaojian.enforcement.models import Case
from yaojian.enforcement.tests.factories import CredentialFactory
from yaojian.registry.choices import LicenceStatus, PersonRole
from yaojian.registry.tests.factories import (
    EntityFactory,
    EntityPersonFactory,
    LicenceFactory,
    PersonFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHARMACY = "拉萨康源大药房城关店"


def _member(department: Any, role: str, username: str) -> Any:
    user = UserFactory(username=username)
    MembershipFactory(user=user, department=department, role=role)
    return user


@pytest.fixture
def as_user(browser: Any, live_server: Any) -> Iterator[Callable[[str], Any]]:
    """``as_user(username)``: a page in its own browser context, signed in (English UI)."""
    contexts: list[Any] = []

    def open_page(username: str) -> Any:
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(reverse("accounts:login"))
        page.get_by_test_id("login-username").fill(username)
        page.get_by_test_id("login-password").fill(TEST_PASSWORD)
        with page.expect_navigation():
            page.get_by_test_id("login-submit").click()
        page.get_by_test_id("lang-en").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        return page

    yield open_page
    for context in contexts:
        context.close()


def _act(page: Any, name: str, fill: Callable[[Any], None] | None = None) -> None:
    """Open the action's form on the case page, fill it, submit, and wait for the reload."""
    action = page.get_by_test_id(f"action-{name}")
    action.locator("summary").click()
    if fill is not None:
        fill(action)
    with page.expect_navigation():
        action.get_by_test_id(f"submit-{name}").click()
    expect(page.locator(".errorlist")).to_have_count(0)


def test_clue_to_decision_with_fine_and_licence_revocation(
    as_user: Callable[[str], Any], page: Any, settings: Any, screenshot: Any, regions: None
) -> None:
    # PDFs are the documents app's business (and about a second each): not rendered here.
    settings.ENFORCEMENT_RENDER_DOCUMENTS = False
    department = DepartmentFactory(
        code="SAMR-540102",
        name="城关区市场监督管理局",
        kind=DepartmentKind.MARKET_REGULATOR,
        level=DepartmentLevel.COUNTY,
        region_id="540102",
    )
    _member(department, Role.INSPECTOR, "j_inspector")
    officer = _member(department, Role.CASE_OFFICER, "j_officer")
    colleague = _member(department, Role.CASE_OFFICER, "j_colleague")
    _member(department, Role.DEPARTMENT_HEAD, "j_head")
    _member(department, Role.LEGAL_REVIEWER, "j_reviewer")
    CredentialFactory(user=officer)
    CredentialFactory(user=colleague)
    outsider_department = DepartmentFactory(
        kind=DepartmentKind.MARKET_REGULATOR, region_id="540103"
    )
    _member(outsider_department, Role.CASE_OFFICER, "j_outsider")
    pharmacy = EntityFactory(
        name=PHARMACY, registered_by=department, legal_representative="次仁多吉"
    )
    licence = LicenceFactory(entity=pharmacy, issued_by=department)
    pharmacist = PersonFactory(name="卓玛", department=department)
    EntityPersonFactory(entity=pharmacy, person=pharmacist, role=PersonRole.LICENSED_PHARMACIST)

    # The inspector records a clue about the pharmacy.
    inspector = as_user("j_inspector")
    inspector.goto(reverse("enforcement:clue_create") + f"?entity={pharmacy.public_id}")
    inspector.locator("select[name=source]").select_option("sampling")
    inspector.locator("input[name=title]").fill("抽检不合格：阿莫西林胶囊含量不符合规定")
    inspector.locator("textarea[name=facts]").fill("省药检院检验报告显示含量为标示量的82%。")
    with inspector.expect_navigation():
        inspector.get_by_test_id("clue-submit").click()
    expect(inspector.get_by_test_id("case-stage")).to_have_attribute("data-stage", "clue")
    case_url = re.sub(r"^https?://[^/]+", "", inspector.url)
    case = Case.objects.get()
    assert case_url == reverse("enforcement:case_detail", args=[case.public_id])
    assert case.entity_id == pharmacy.pk

    # The case officer starts the verification with a colleague.
    work = as_user("j_officer")
    work.goto(case_url)
    _act(
        work,
        "verify",
        lambda form: form.locator("select[name=verify-officers]").select_option(
            [str(officer.pk), str(colleague.pk)]
        ),
    )
    expect(work.get_by_test_id("case-stage")).to_have_attribute("data-stage", "verification")

    # The head files the case: the 90-day decision clock starts.
    head = as_user("j_head")
    head.goto(case_url)
    _act(head, "file", lambda form: form.locator("textarea[name=file-opinion]").fill("同意立案"))
    expect(head.get_by_test_id("case-stage")).to_have_attribute("data-stage", "investigation")
    expect(head.locator("[data-testid=clock-row][data-kind=decision]")).to_have_count(1)

    # The officer investigates and proposes a fine and the revocation of the licence.
    work.reload()

    def evidence(form: Any) -> None:
        form.locator("select[name=evidence-kind]").select_option("test_report")
        form.locator("textarea[name=evidence-description]").fill("药品检验报告书（2026）第118号")

    _act(work, "evidence", evidence)
    expect(work.get_by_test_id("case-evidence")).to_contain_text("第118号")

    def propose(form: Any) -> None:
        form.locator("textarea[name=propose-violation]").fill("当事人销售劣药阿莫西林胶囊")
        form.locator("input[name=propose-legal_basis]").fill("《药品管理法》第一百一十七条")
        form.locator("input[name=propose-fine]").fill("150000")
        form.locator("select[name=propose-revoke_licence]").select_option(str(licence.pk))

    _act(work, "propose", propose)
    _act(work, "submit_review")
    expect(work.get_by_test_id("case-stage")).to_have_attribute("data-stage", "review")

    # The legal reviewer approves.
    reviewer = as_user("j_reviewer")
    reviewer.goto(case_url)

    def review(form: Any) -> None:
        form.locator("textarea[name=review-opinion]").fill("事实清楚，证据确凿，处罚适当。")
        form.locator("select[name=review-conclusion]").select_option("approve")

    _act(reviewer, "review", review)

    # The officer serves the notice; the party waives its defence (and the hearing).
    work.reload()
    _act(work, "notice")
    expect(work.get_by_test_id("case-stage")).to_have_attribute("data-stage", "notice")
    expect(work.locator("[data-testid=clock-row][data-kind=hearing_request]")).to_have_count(1)
    _act(
        work,
        "defence",
        lambda form: form.locator("select[name=defence-kind]").select_option("waiver"),
    )

    # The head decides: the decision takes effect with its number.
    head.reload()
    _act(head, "decide")
    expect(head.get_by_test_id("case-stage")).to_have_attribute("data-stage", "decided")
    decision = head.get_by_test_id("decision")
    expect(decision).to_contain_text("城关区市场监督管理局罚〔")
    expect(decision).to_contain_text("150000.00")
    screenshot("enforcement-case-decided")

    # The registry profile shows the licence revoked.
    head.goto(reverse("registry:entity_detail", args=[pharmacy.public_id]))
    status = head.get_by_test_id("licence-status")
    expect(status).to_have_attribute("data-state", "revoked")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED

    # The decision waits in the publication queue (20 working days); the head publishes it.
    case.refresh_from_db()
    head.goto(reverse("portal:manage"))
    row = head.get_by_test_id("to-publish-row").filter(has_text="罚〔")
    expect(row).to_have_count(1)
    with head.expect_navigation():
        row.get_by_test_id("publish").click()
    expect(head.get_by_test_id("publication-status")).to_have_attribute("data-state", "published")

    # Anyone finds it on the public page without signing in; the people behind the pharmacy
    # show with no personal data (the pharmacist's name, ID number and phone never appear).
    page.goto(reverse("portal:penalty_list") + "?party=康源大药房")
    rows = page.get_by_test_id("penalty-row")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("penalty-party")).to_have_text(PHARMACY)
    with page.expect_navigation():
        rows.first.locator("a").first.click()
    body = page.content()
    assert "150,000" in body or "150000" in body
    for secret in (pharmacist.name, pharmacist.id_number, pharmacist.phone):
        assert secret not in body
    screenshot("enforcement-case-published")

    # An officer of another department cannot see the case at all.
    outsider = as_user("j_outsider")
    response = outsider.goto(case_url)
    assert response is not None
    assert response.status == 404
    assert case.number not in outsider.content()

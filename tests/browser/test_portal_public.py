"""The public portal in a real browser: anyone finds a published penalty, personal data masked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from yaojian.portal import services
from yaojian.portal.tests.factories import penalty, person_penalty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_visitor_finds_a_penalty_by_party_name_with_personal_data_masked(
    page, screenshot, regions
):
    # given: a county regulator published a natural person's penalty and an organisation's;
    # a third decision waits in the queue (not public)
    department = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.DRUG_REGULATOR, level=DepartmentLevel.COUNTY
    )
    officer = UserFactory()
    MembershipFactory(user=officer, department=department, role=Role.CASE_OFFICER)
    decided = dt.date(2026, 11, 2)
    person = services.publish_publication(
        actor=officer,
        publication=services.ingest_decision(
            payload=person_penalty(department, decided_on=decided)
        ),
    )
    services.publish_publication(
        actor=officer,
        publication=services.ingest_decision(payload=penalty(department, decided_on=decided)),
    )
    draft = services.ingest_decision(
        payload=person_penalty(department, decided_on=decided, party_name="张无忌")
    )

    # when: an anonymous visitor searches the public home for 张某某
    page.goto(reverse("portal:home"))
    expect(page.get_by_test_id("public-site")).to_be_visible()
    page.get_by_test_id("home-search-party").fill("张某某")
    with page.expect_navigation():
        page.get_by_test_id("home-search-submit").click()

    # then: exactly the published person's penalty is listed, masked
    rows = page.get_by_test_id("penalty-row")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("penalty-party")).to_have_text("张某某")
    expect(page.get_by_text(draft.decision_number)).to_have_count(0)

    # and the detail shows no name, identity-card or telephone number
    with page.expect_navigation():
        page.get_by_role("link", name=person.decision_number).click()
    expect(page.get_by_test_id("penalty-party")).to_have_text("张某某")
    body = page.locator("body").inner_text()
    assert "张三丰" not in body
    assert "540102199001011233" not in body
    assert "13912345678" not in body
    assert "***" in page.get_by_test_id("penalty-violation").inner_text()
    screenshot("portal-public-penalty")

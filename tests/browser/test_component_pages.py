"""The pages moved onto the components (issue 10, gaps 1–2), in Chromium at 1280 px and 390 px:
the forms show their fields through form_field.html, the lists sort by a column head, and
nothing scrolls sideways on a phone. Screenshots: var/screenshots/components-<name>-<width>.png.
"""

from __future__ import annotations

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
from yaojian.notices.choices import NoticeState
from yaojian.notices.tests.factories import NoticeFactory
from yaojian.portal import services as portal_services
from yaojian.portal.tests.factories import penalty
from yaojian.registry.tests.factories import EntityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)


@pytest.fixture
def lhasa(regions: None) -> Any:
    department = DepartmentFactory(
        code="MPA-540100",
        name="拉萨市市场监督管理局",
        kind=DepartmentKind.MARKET_REGULATOR,
        level=DepartmentLevel.CITY,
        region_id="540100",
    )
    for username, role in (("inspector1", Role.INSPECTOR), ("head1", Role.DEPARTMENT_HEAD)):
        MembershipFactory(user=UserFactory(username=username), department=department, role=role)
    return department


def _fits(page: Any, width: int, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name


def test_the_inspectors_forms_at_desktop_and_phone_width(
    page: Any, sign_in: Any, screenshot: Any, lhasa: Any
) -> None:
    entity = EntityFactory(
        name="拉萨康源大药房城关店（连锁）有限公司第一分店", region_id="540102", registered_by=lhasa
    )
    notice = NoticeFactory(
        recipient=lhasa, subject="关于核查康源大药房的通报", state=NoticeState.ACKNOWLEDGED
    )
    sign_in("inspector1", TEST_PASSWORD)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        # the problem form: every field through form_field.html, person rows in a grid
        page.goto(reverse("notices:problem_create"))
        form = page.get_by_test_id("problem-form")
        expect(form.locator(".yj-field")).to_have_count(6 + 3 * 4 + 1)
        expect(page.get_by_test_id("person-row-2")).to_be_visible()
        _fits(page, width, "problem form")
        screenshot(f"components-problem-form-{width}")
        # the notice's answer form
        page.goto(reverse("notices:notice_detail", args=[notice.public_id]))
        expect(page.get_by_test_id("answer-form").locator(".yj-field")).to_have_count(2)
        expect(page.get_by_test_id("notice-state")).to_have_attribute(
            "data-state", NoticeState.ACKNOWLEDGED
        )
        _fits(page, width, "notice")
        screenshot(f"components-notice-answer-{width}")
        # the entity profile: its tables on the data table (cards on a phone)
        page.goto(reverse("registry:entity_detail", args=[entity.public_id]))
        expect(page.get_by_test_id("entity-licences").locator(".yj-data-table")).to_have_count(1)
        _fits(page, width, "entity")
        screenshot(f"components-entity-{width}")
        # the calculator on the filter bar, its answer swapped in by htmx
        page.goto(reverse("clocks:calculator"))
        calculator = page.get_by_test_id("calculator")
        calculator.locator("input[name=start]").fill("2026-09-30")
        calculator.locator("input[name=days]").fill("3")
        calculator.get_by_test_id("calculator-submit").click()
        expect(page.get_by_test_id("calculator-due")).to_have_text("2026-10-10")
        _fits(page, width, "calculator")
        screenshot(f"components-calculator-{width}")
        # the case list's filter bar
        page.goto(reverse("enforcement:case_list"))
        expect(page.get_by_test_id("filter-bar").locator("select[name=stage]")).to_be_visible()
        _fits(page, width, "cases")
        screenshot(f"components-cases-{width}")


@pytest.mark.parametrize(
    ("name", "url_name", "sort"),
    [
        ("rules", "notices:rule_list", "due"),
        ("regions", "territory:region_list", "code"),
        ("webhooks", "webhooks:endpoint_list", "name"),
        ("publications", "portal:manage", "publish_deadline"),
    ],
)
def test_the_sortable_lists(
    page: Any, sign_in: Any, screenshot: Any, lhasa: Any, name: str, url_name: str, sort: str
) -> None:
    sign_in("head1", TEST_PASSWORD)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(reverse(url_name))
        expect(page.get_by_test_id("page-header")).to_be_visible()
        if width == 1280:
            page.get_by_test_id(f"sort-{sort}").first.click()
            expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
            assert "sort=" in page.url, name
        _fits(page, width, name)
        screenshot(f"components-{name}-{width}")


def test_the_public_penalty_list_at_phone_width(page: Any, screenshot: Any, lhasa: Any) -> None:
    officer = UserFactory(username="officer1")
    MembershipFactory(user=officer, department=lhasa, role=Role.CASE_OFFICER)
    for _ in range(3):
        portal_services.publish_publication(
            actor=officer,
            publication=portal_services.ingest_decision(payload=penalty(lhasa)),
        )
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(reverse("portal:home"))
        page.get_by_test_id("home-search-party").fill("康宁")
        page.get_by_test_id("home-search-submit").click()
        expect(page.get_by_test_id("penalty-row")).to_have_count(3)
        # the heads at 1280 px; on a phone the rows are cards and the sort links stand above them
        phone = "-phone" if width < 768 else ""
        page.get_by_test_id(f"sort-decided_on{phone}").click()
        expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
        assert "sort=decided_on" in page.url
        expect(page.get_by_test_id("penalty-row")).to_have_count(3)
        _fits(page, width, "penalties")
        screenshot(f"components-public-penalties-{width}")

"""The shell in Chromium at 1280 px and 390 px: the menu by function, collapsing it, the
global search, the notification badge, the case stepper; no horizontal scroll on a phone.
Screenshots go to var/screenshots/shell-*.png."""

from __future__ import annotations

import re
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
from yaojian.enforcement import services
from yaojian.enforcement.choices import ClueSource
from yaojian.notices.tests.factories import NoticeFactory
from yaojian.registry.tests.factories import EntityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(regions: None) -> Any:
    department = DepartmentFactory(
        code="SAMR-540102",
        name="城关区市场监督管理局",
        kind=DepartmentKind.MARKET_REGULATOR,
        level=DepartmentLevel.COUNTY,
        region_id="540102",
    )
    user = UserFactory(username="officer1")
    MembershipFactory(user=user, department=department, role=Role.CASE_OFFICER)
    EntityFactory(name="拉萨康源大药房城关店", region_id="540102", registered_by=department)
    NoticeFactory(recipient=department, subject="关于核查康源大药房的通报")
    return user


def _no_horizontal_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_the_shell_at_desktop_and_phone_width(
    page: Any, sign_in: Any, screenshot: Any, officer: Any
) -> None:
    case = services.record_clue(
        actor=officer, source=ClueSource.INSPECTION, title="销售过期药品", party_name="康源大药房"
    )
    sign_in("officer1", TEST_PASSWORD)

    # the menu: grouped by function, only what a case officer may open
    page.goto(reverse("enforcement:my_work"))
    menu = page.get_by_test_id("menu")
    expect(menu.locator("[data-group=cases]")).to_be_visible()
    expect(menu.locator("[data-key='enforcement.my_work']")).to_have_attribute(
        "aria-current", "page"
    )
    expect(menu.locator("[data-key='audit.events']")).to_have_count(0)
    expect(page.get_by_test_id("user-department")).to_contain_text("城关区市场监督管理局")

    # the notification centre: one unread notice, listed in the dropdown
    expect(page.get_by_test_id("notices-unread")).to_have_text("1")
    page.get_by_test_id("notices-badge").click()
    expect(page.get_by_test_id("notices-latest")).to_have_text(
        re.compile("关于核查康源大药房的通报")
    )
    page.keyboard.press("Escape")

    # the global search, with markup typed into it
    page.get_by_test_id("global-search").fill("<b>康源</b>")
    page.get_by_test_id("global-search").press("Enter")
    expect(page.get_by_test_id("search-summary")).to_be_visible()
    page.get_by_test_id("global-search").fill("康源")
    page.get_by_test_id("global-search").press("Enter")
    expect(page.get_by_test_id("search-hit-title").first).to_have_text("拉萨康源大药房城关店")
    screenshot("shell-search-1280")

    # the case page: the stepper at the current stage, the clocks as badges, help in place
    page.goto(reverse("enforcement:case_detail", args=[case.public_id]))
    stepper = page.get_by_test_id("case-stepper")
    expect(stepper.locator("[data-state=current]")).to_have_attribute("data-key", "clue")
    expect(stepper.locator("[data-testid=step]")).to_have_count(11)
    expect(
        page.get_by_test_id("case-clock-badges").get_by_test_id("clock-badge").first
    ).to_be_visible()
    page.get_by_test_id("page-help-toggle").click()
    expect(page.get_by_test_id("page-help-text")).to_be_visible()
    screenshot("shell-case-1280")

    # collapse the menu; the choice survives a reload
    page.get_by_test_id("sidebar-collapse").click()
    page.reload()
    assert "yj-collapsed" in page.evaluate("document.documentElement.className")
    expect(page.locator(".yj-sidebar .yj-label").first).to_be_hidden()
    screenshot("shell-collapsed-1280")
    page.get_by_test_id("sidebar-collapse").click()

    # a phone: no horizontal scroll; the menu is off-canvas behind a button
    page.set_viewport_size({"width": 390, "height": 844})
    for url in (
        reverse("enforcement:case_detail", args=[case.public_id]),
        reverse("registry:entity_list"),
        reverse("notices:inbox"),
        reverse("enforcement:my_work"),
    ):
        page.goto(url)
        _no_horizontal_scroll(page)
    expect(page.get_by_test_id("sidebar")).to_be_hidden()
    page.get_by_test_id("menu-open").click()
    expect(page.get_by_test_id("sidebar")).to_be_visible()
    expect(page.get_by_test_id("sidebar")).to_have_class(re.compile(r"\bshow\b"))
    expect(page.get_by_test_id("sidebar")).not_to_have_class(re.compile("showing"))
    screenshot("shell-menu-390")
    page.goto(reverse("enforcement:case_detail", args=[case.public_id]))
    screenshot("shell-case-390")


def test_the_public_site_fits_a_phone(page: Any, screenshot: Any, regions: None) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for url in (
        reverse("portal:home"),
        reverse("portal:penalty_list"),
        reverse("portal:typical_case_list"),
    ):
        page.goto(url)
        _no_horizontal_scroll(page)
    screenshot("shell-public-390")


def test_a_confirmation_dialog_guards_a_destructive_button(
    page: Any, sign_in: Any, screenshot: Any, regions: None
) -> None:
    from yaojian.webhooks.models import Endpoint
    from yaojian.webhooks.tests.factories import EndpointFactory

    department = DepartmentFactory(
        code="MPA-540000", level=DepartmentLevel.PROVINCE, region_id="540000"
    )
    admin = UserFactory(username="admin1")
    MembershipFactory(user=admin, department=department, role=Role.ADMINISTRATOR)
    endpoint = EndpointFactory(department=department)
    secret = endpoint.secret
    sign_in("admin1", TEST_PASSWORD)
    page.goto(reverse("webhooks:endpoint_detail", args=[endpoint.public_id]))

    # cancel: nothing is sent, the secret stays
    page.get_by_test_id("endpoint-rotate").click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("confirm-text")).to_have_text(re.compile("secret|密钥"))
    screenshot("shell-confirm-1280")
    page.get_by_test_id("confirm-cancel").click()
    expect(dialog).to_be_hidden()
    assert Endpoint.objects.get(pk=endpoint.pk).secret == secret

    # confirm: the form is submitted and the secret replaced
    page.get_by_test_id("endpoint-rotate").click()
    with page.expect_navigation():
        page.get_by_test_id("confirm-ok").click()
    assert Endpoint.objects.get(pk=endpoint.pk).secret != secret

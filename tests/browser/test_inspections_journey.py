"""A double-random inspection end to end, in a real browser (issue 12).

A county head creates a plan and draws entities and inspectors; a drawn inspector records the
inspection on a phone-sized screen with a critical finding and a photo; the case clue appears
for the case officer; the head publishes the result, which shows on the public site; and
``verify_draw`` confirms the draw.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
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
from yaojian.inspections.models import Draw, Inspection
from yaojian.registry.tests.factories import EntityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def county(regions):
    department = DepartmentFactory(
        code="MPA-540102",
        name="城关区市场监督管理局",
        kind=DepartmentKind.MARKET_REGULATOR,
        region_id="540102",
        level=DepartmentLevel.COUNTY,
    )
    MembershipFactory(
        user=UserFactory(username="head"), department=department, role=Role.DEPARTMENT_HEAD
    )
    MembershipFactory(
        user=UserFactory(username="officer"), department=department, role=Role.CASE_OFFICER
    )
    for n in range(3):
        MembershipFactory(
            user=UserFactory(username=f"insp{n}"), department=department, role=Role.INSPECTOR
        )
    for n in range(10):
        EntityFactory(name=f"拉萨测试药房{n}号店", region_id="540102", registered_by=department)
    return department


def test_plan_draw_record_on_a_phone_clue_publish_and_verify(
    browser, live_server, page, sign_in, screenshot, county
):
    sign_in("head", TEST_PASSWORD)
    page.goto(reverse("inspections:plan_create"))
    page.locator("#id_title").fill("城关区年度双随机抽查")
    page.locator("#id_department").select_option(str(county.pk))
    page.locator("input[name=items][value=ypjy_gsp]").check()
    page.locator("#id_proportion").fill("10")
    with page.expect_navigation():
        page.get_by_test_id("plan-save").click()
    expect(page.get_by_test_id("pool-size")).to_have_text("10")
    page.locator("#id_seed").fill("journey-seed")
    with page.expect_navigation():
        page.get_by_test_id("draw-submit").click()
    expect(page.get_by_test_id("drawn-count")).to_have_text("1")
    expect(page.get_by_test_id("draw-seed")).to_have_text("journey-seed")
    screenshot("inspections-draw")

    draw = Draw.objects.get()
    drawn = draw.entities.select_related("entity").get()
    member = drawn.team.select_related("inspector").first().inspector

    phone = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    mobile = phone.new_page()
    mobile.goto(reverse("accounts:login"))
    mobile.get_by_test_id("login-username").fill(member.username)
    mobile.get_by_test_id("login-password").fill(TEST_PASSWORD)
    with mobile.expect_navigation():
        mobile.get_by_test_id("login-submit").click()
    mobile.goto(reverse("inspections:my_assignments"))
    with mobile.expect_navigation():
        mobile.get_by_test_id("assignment").get_by_role("link").click()
    for code in ("P01", "P02", "P03", "P04"):
        mobile.locator(f"input[name=answer_{code}][value=yes]").check()
    mobile.locator("input[name=answer_P05][value=no]").check()
    mobile.locator("#id_finding1_severity").select_option("critical")
    mobile.locator("#id_finding1_clause").fill("药品管理法 第98条")
    mobile.locator("#id_finding1_description").fill("货架陈列销售过期药品")
    mobile.get_by_test_id("attachments-input").set_input_files(
        {"name": "现场.png", "mimeType": "image/png", "buffer": PNG}
    )
    mobile.locator("#id_conclusion").select_option("failed")
    mobile.locator("#id_signed_by").fill("店长")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 400
    with mobile.expect_navigation():
        mobile.get_by_test_id("record-submit").click()
    expect(mobile.get_by_test_id("finding")).to_contain_text("药品管理法 第98条")
    mobile.screenshot(path="var/screenshots/inspections-phone.png", full_page=True)
    phone.close()

    inspection = Inspection.objects.get()
    case = Case.objects.get()
    assert (case.source, case.entity_id) == ("inspection", drawn.entity_id)
    assert inspection.attachments.count() == 1

    page.context.clear_cookies()
    sign_in("officer", TEST_PASSWORD)
    page.goto(reverse("enforcement:case_list"))
    expect(page.locator("body")).to_contain_text(drawn.entity.name)

    page.context.clear_cookies()
    sign_in("head", TEST_PASSWORD)
    page.goto(reverse("inspections:inspection_detail", args=[inspection.public_id]))
    with page.expect_navigation():
        page.get_by_test_id("publish").click()
    page.context.clear_cookies()
    page.goto(reverse("portal:inspection_results"))
    expect(page.get_by_test_id("public-inspection-row")).to_contain_text(drawn.entity.name)

    out = io.StringIO()
    call_command("verify_draw", "--all", stdout=out)
    assert "1 verified, 0 failed" in out.getvalue()

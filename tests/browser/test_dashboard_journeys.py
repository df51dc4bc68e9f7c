"""The first page (工作台) and the leadership dashboard (驾驶舱) in Chromium, at desktop width and
at 390 px.

* A provincial leader opens the dashboard, clicks a county on the map and drills down to the
  overdue notices of that county's market regulator.
* An officer's first page lists the overdue notices and the due joint task; one click opens it.
* A head files a case from the first page ("waiting for your approval").

Rows are made with the ORM before the browser starts and read again once the pages settled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import TEST_PASSWORD
from yaojian.dashboard.tests.conftest import build_province, member
from yaojian.enforcement.choices import CaseStage, ClockKind, ClockUnit, OfficerRole
from yaojian.enforcement.models import Case, CaseClock, CaseOfficer, JointTask
from yaojian.enforcement.tests.factories import CredentialFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = {"width": 390, "height": 844}


@pytest.fixture
def province(regions: None) -> Any:
    return build_province(timezone.localdate())


@pytest.fixture
def as_user(page: Any, sign_in: Callable[[str, str], Any]) -> Callable[[str], Any]:
    def go(username: str) -> Any:
        sign_in(username, TEST_PASSWORD)
        return page

    return go


def _both_widths(page: Any, screenshot: Any, name: str) -> None:
    screenshot(f"{name}-desktop")
    page.set_viewport_size(MOBILE)
    screenshot(f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def _click_county(page: Any, code: str) -> None:
    """Click the middle of a county's shape on the ECharts map (a real mouse click)."""
    expect(page.get_by_test_id("dashboard-map")).to_have_attribute("data-ready", "1")
    # Three tries: under a loaded CI machine the chart can take the first click while it
    # still lays itself out (the click lands, nothing navigates); each try measures afresh.
    for attempt in range(3):
        point = page.evaluate(
            """async (code) => {
                const el = document.getElementById('dashboard-map');
                el.scrollIntoView({block: 'center'});
                // After a change of viewport the chart resizes asynchronously: wait until its
                // size is the element's, so pixels are computed on the final layout.
                for (let i = 0; i < 60; i++) {
                    const c = echarts.getInstanceByDom(el);
                    if (c && c.getWidth() === el.clientWidth && c.getHeight() === el.clientHeight) break;
                    await new Promise((r) => setTimeout(r, 50));
                }
                await new Promise((r) => setTimeout(r, 300));
                const data = JSON.parse(document.getElementById('dashboard-data').textContent);
                const geo = await (await fetch(data.geo)).json();
                const feature = geo.features.find((f) => String(f.id) === code);
                let ring = feature.geometry.coordinates[0];
                if (feature.geometry.type === 'MultiPolygon') { ring = ring[0]; }
                let x = 0, y = 0;
                ring.forEach((p) => { x += p[0]; y += p[1]; });
                const chart = echarts.getInstanceByDom(el);
                const pixel = chart.convertToPixel({seriesIndex: 0}, [x / ring.length, y / ring.length]);
                const box = el.getBoundingClientRect();
                return [box.left + pixel[0], box.top + pixel[1]];
            }""",
            code,
        )
        try:
            with page.expect_navigation(timeout=8000):
                page.mouse.click(point[0], point[1])
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise


def test_leader_drills_from_the_map_to_a_departments_overdue_notices(
    province: Any, as_user: Callable[[str], Any], page: Any, screenshot: Any
) -> None:
    page = as_user("leader")
    page.goto(reverse("dashboard:dashboard"))
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("西藏自治区")
    expect(page.get_by_test_id("dashboard-freshness")).to_be_visible()
    expect(page.get_by_test_id("kn-cases")).to_have_text("6")
    expect(page.get_by_test_id("dashboard-map")).to_have_attribute("data-ready", "1")
    _both_widths(page, screenshot, "dashboard-province")
    page.evaluate("window.scrollTo(0, 0)")
    _click_county(page, "540102")
    assert "region=540102" in page.url
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("城关区")
    expect(page.get_by_test_id("kn-cases")).to_have_text("4")
    expect(page.get_by_test_id("kn-overdue-notices")).to_have_text("2")
    _both_widths(page, screenshot, "dashboard-county")
    row = page.get_by_test_id("figure-notices_by_department").locator(
        "[data-testid=figure-row][data-key='SAMR-540102']"
    )
    with page.expect_navigation():
        row.get_by_test_id("figure-link").click()
    expect(page.get_by_test_id("inbox-department-filter")).to_contain_text("SAMR-540102")
    rows = page.get_by_test_id("inbox-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("inbox-table")).to_contain_text("逾期通报一")
    expect(page.get_by_test_id("inbox-table")).not_to_contain_text("未到期")
    _both_widths(page, screenshot, "dashboard-drilldown-inbox")


def test_an_officers_first_page_lists_overdue_notices_and_due_tasks(
    province: Any, as_user: Callable[[str], Any], page: Any, screenshot: Any
) -> None:
    case = province.cases["a"][2]
    CaseOfficer.objects.create(case=case, user=province.inspector_a, role=OfficerRole.LEAD)
    today = timezone.localdate()
    clock = CaseClock.objects.create(
        case=case,
        kind=ClockKind.JOINT_TASK,
        unit=ClockUnit.DAYS,
        period=5,
        started_on=today - dt.timedelta(days=3),
        due_on=today + dt.timedelta(days=2),
        department=province.samr_a,
        label="联合检查",
    )
    JointTask.objects.create(
        case=case,
        department=province.samr_a,
        description="对涉事药房开展联合检查",
        due_working_days=5,
        clock=clock,
        created_by=province.head_a,
    )
    page = as_user("officer_a")
    page.goto(reverse("home"))
    notices = page.get_by_test_id("section-notices")
    expect(notices.locator("[data-testid=work-item][data-level=overdue]")).to_have_count(2)
    tasks = page.get_by_test_id("section-tasks")
    expect(tasks.get_by_test_id("work-item")).to_have_count(1)
    expect(tasks).to_contain_text("对涉事药房开展联合检查")
    expect(page.get_by_test_id("workbench-urgent")).to_contain_text("逾期通报")
    _both_widths(page, screenshot, "workbench-officer")
    with page.expect_navigation():
        notices.get_by_test_id("work-link").first.click()
    assert "/notices/" in page.url
    expect(page.locator("h1")).to_contain_text("逾期通报")


def test_a_head_files_a_case_from_the_first_page(
    province: Any, as_user: Callable[[str], Any], page: Any, screenshot: Any, settings: Any
) -> None:
    settings.ENFORCEMENT_RENDER_DOCUMENTS = False
    case = province.cases["a"][0]
    second = member(province.samr_a, Role.CASE_OFFICER, username="officer_b")
    for officer in (province.inspector_a, second):
        CredentialFactory(user=officer)
        CaseOfficer.objects.create(case=case, user=officer, role=OfficerRole.ASSISTANT)
    page = as_user("head_a")
    page.goto(reverse("home"))
    approvals = page.get_by_test_id("section-approvals")
    expect(approvals.get_by_test_id("section-count")).to_have_text("2")
    expect(approvals.get_by_test_id("section-breakdown")).to_be_visible()
    _both_widths(page, screenshot, "workbench-head")
    with page.expect_navigation():
        approvals.locator("[data-detail=filing]").first.get_by_test_id("work-link").click()
    assert str(case.public_id) in page.url
    action = page.get_by_test_id("action-file")
    action.locator("summary").click()
    action.locator("textarea[name=file-opinion]").fill("同意立案")
    with page.expect_navigation():
        action.get_by_test_id("submit-file").click()
    expect(page.locator(".errorlist")).to_have_count(0)
    screenshot("workbench-head-filed-desktop")
    page.goto(reverse("home"))
    expect(page.get_by_test_id("section-approvals").get_by_test_id("section-count")).to_have_text(
        "1"
    )
    case.refresh_from_db()
    assert case.stage == CaseStage.INVESTIGATION
    assert (
        Case.objects.filter(stage=CaseStage.VERIFICATION, department=province.samr_a).count() == 1
    )

"""The app pages on the shared components, in Chromium at 1280 px and 390 px: each list renders
its page header, sorts by a column head (the state shown), and never scrolls sideways on a phone.
Screenshots go to var/screenshots/pages-<name>-<width>.png."""

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
from yaojian.notices.tests.factories import NoticeFactory
from yaojian.registry.tests.factories import EntityFactory, ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (name, URL name, a column to sort by or "")
PAGES = (
    ("entities", "registry:entity_list", "name"),
    ("products", "registry:product_list", "approval_number"),
    ("cases", "enforcement:case_list", "number"),
    ("inbox", "notices:inbox", "due"),
    ("sent", "notices:sent", ""),
    ("problems", "notices:problem_list", ""),
    ("referrals", "referrals:referral_list", ""),
    ("jobs", "jobs:job_list", ""),
    ("audit", "audit:event_list", "occurred_at"),
    ("grid", "territory:gridcell_list", ""),
    ("outbox", "outbox:message_list", ""),
    ("webhooks", "webhooks:delivery_list", ""),
    ("calendar", "clocks:year_list", ""),
    ("publications", "portal:manage", ""),
    ("public-penalties", "portal:penalty_list", ""),
)


@pytest.fixture
def head(regions: None) -> Any:
    department = DepartmentFactory(
        code="MPA-540100",
        name="拉萨市市场监督管理局",
        kind=DepartmentKind.MARKET_REGULATOR,
        level=DepartmentLevel.CITY,
        region_id="540100",
    )
    user = UserFactory(username="head1")
    MembershipFactory(user=user, department=department, role=Role.DEPARTMENT_HEAD)
    for n, name in enumerate(
        ("拉萨康源大药房城关店", "拉萨雪域医药连锁有限公司", "堆龙德庆区益民药店")
    ):
        EntityFactory(
            name=name, region_id="540102" if n < 2 else "540103", registered_by=department
        )
    ProductFactory(name="藏药七十味珍珠丸")
    for subject in ("关于核查康源大药房的通报", "关于雪域医药连锁过期药品的通报"):
        NoticeFactory(recipient=department, subject=subject)
    return user


def test_the_converted_pages_at_desktop_and_phone_width(
    page: Any, sign_in: Any, screenshot: Any, head: Any
) -> None:
    sign_in("head1", TEST_PASSWORD)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url_name, sort in PAGES:
            response = page.goto(reverse(url_name))
            assert response is not None, name
            assert response.status == 200, name
            expect(page.get_by_test_id("page-header").first).to_be_visible()
            expect(page.get_by_test_id("page-help")).to_be_attached()
            if sort and width == 1280:
                page.get_by_test_id(f"sort-{sort}").click()
                assert f"sort={sort}" in page.url, name
                expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            screenshot(f"pages-{name}-{width}")

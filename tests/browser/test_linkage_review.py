"""A held record confirmed in the review queue, in a real browser (主体关联复核).

The county drug regulator's licence register names a pharmacy without its credit code and
with a shortened name; the linkage engine holds the row for review. The data steward opens
/linkage/reviews/, compares the record with the registered pharmacy side by side, confirms
the link, and the pharmacy's profile then shows what the department holds: the licence
row's fields, from that import batch.

The import runs (with the real linkage engine) before the browser starts; the database is
read again only once the pages have settled.
"""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import reverse
from playwright.sync_api import expect

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
)
from yaojian.exchange import services
from yaojian.exchange.choices import SourceKind
from yaojian.exchange.models import ImportBatch
from yaojian.exchange.tests.factories import (
    LICENCE_HEADERS,
    licence_number,
    licence_row,
    xlsx_bytes,
)
from yaojian.linkage.models import LinkReview
from yaojian.registry.models import Licence
from yaojian.registry.tests.factories import EntityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_NAME = "拉萨康仁药店"


@pytest.fixture
def held(regions):
    department = DepartmentFactory(
        code="MPA-540102",
        name="城关区市场监督管理局",
        kind=DepartmentKind.DRUG_REGULATOR,
        region_id="540102",
        level=DepartmentLevel.COUNTY,
    )
    steward = UserFactory(username="steward")
    MembershipFactory(user=steward, department=department, role=Role.DATA_STEWARD)
    EntityFactory(name="拉萨市雪域诊所", address="拉萨市城关区江苏路3号", region_id="540102")
    pharmacy = EntityFactory(
        name="拉萨市康仁大药房有限公司",
        address="拉萨市城关区北京中路12号",
        region_id="540102",
        legal_representative="扎西",
    )
    rows = [
        licence_row(6, name=pharmacy.name, uscc="", address=pharmacy.address),  # auto
        licence_row(7, name=RECORD_NAME, uscc="", address="城关区北京中路12号", legal=""),
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = services.start_import(
            actor=steward,
            kind=SourceKind.LICENCE_REGISTER,
            data=xlsx_bytes(LICENCE_HEADERS, rows),
            file_name="许可证登记.xlsx",
        )
    batch.refresh_from_db()
    assert batch.held_count == 1
    return pharmacy, batch


def test_steward_confirms_a_held_record_and_the_profile_shows_the_department_data(
    page, sign_in, screenshot, held
):
    pharmacy, batch = held
    sign_in("steward", TEST_PASSWORD)

    page.goto(reverse("linkage:review_list"))
    row = page.get_by_test_id("review-row").filter(has_text=RECORD_NAME)
    expect(row).to_contain_text(pharmacy.name)
    row.get_by_role("link", name=RECORD_NAME).click()

    # Side by side: the record and the candidate, field by field.
    name_row = page.locator("[data-testid=comparison-row][data-field='name']")
    expect(name_row).to_contain_text(RECORD_NAME)
    expect(name_row).to_contain_text(pharmacy.name)
    expect(name_row).to_have_class("different")
    expect(page.locator("[data-testid=comparison-row][data-field='region_code']")).to_have_class(
        "same"
    )
    expect(page.get_by_test_id("weight-row").first).to_be_visible()
    screenshot("linkage-review-side-by-side")

    with page.expect_navigation():
        page.get_by_test_id("review-confirm").click()
    expect(page.get_by_test_id("decision")).to_contain_text(pharmacy.name)

    page.goto(reverse("registry:entity_detail", args=[pharmacy.public_id]))
    holding = page.locator("[data-testid=holding][data-department='MPA-540102']")
    expect(holding).to_be_visible()
    licence_status = holding.locator(
        f"tr[data-testid=provenance][data-field='licence:drug_distribution:{licence_number(7)}:status']"
    )
    expect(licence_status).to_have_attribute("data-batch", str(batch.public_id))
    expect(holding.locator("tr[data-testid=provenance][data-field='address']")).to_contain_text(
        "城关区北京中路12号"
    )
    screenshot("linkage-review-profile")

    review = LinkReview.objects.get()
    assert (review.state, review.linked_entity_id) == ("confirmed", pharmacy.pk)
    assert Licence.objects.get(number=licence_number(7)).entity_id == pharmacy.pk
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert (batch.accepted_count, batch.held_count) == (2, 0)

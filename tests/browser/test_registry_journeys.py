"""Journeys through the registry (一户一档) in a real browser."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import TEST_PASSWORD
from yaojian.audit.models import AuditEvent
from yaojian.registry.choices import EntityKind
from yaojian.registry.identifiers import validate_unified_social_credit_code
from yaojian.registry.models import Entity
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory, uscc_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHARMACY = "拉萨奇正藏药大药房有限公司"
OTHER_PHARMACY = "城关区康宁药店"


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def chinese(message: str) -> str:
    """The zh_Hans translation of ``message``; fails when the catalog gives no Chinese."""
    with translation.override("zh-hans"):
        text = gettext(message)
    assert CHINESE.search(text), f"no Chinese for {message!r}: run manage.py compile_catalogs"
    return text


def test_inspector_finds_entity_by_two_characters_and_reads_profile_in_english(
    page, sign_in, screenshot, user_in_department
):
    # given: two pharmacies in 城关区, one with a licence
    inspector = user_in_department(role=Role.INSPECTOR, region="540102")
    pharmacy = EntityFactory(name=PHARMACY)
    EntityFactory(name=OTHER_PHARMACY)
    licence = LicenceFactory(entity=pharmacy)

    # when: the inspector signs in and types two characters of the name
    sign_in(inspector.username, TEST_PASSWORD)
    page.goto(reverse("registry:entity_list"))
    rows = page.get_by_test_id("entity-row")
    expect(rows).to_have_count(2)
    page.get_by_test_id("entity-search").press_sequentially("奇正")

    # then: htmx narrows the table to the one pharmacy, whose profile shows its licence
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(PHARMACY)
    rows.first.get_by_role("link", name=PHARMACY).click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("registry:entity_detail", args=[pharmacy.public_id])))
    )
    expect(page.get_by_test_id("entity-name")).to_have_text(PHARMACY)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    licences = page.get_by_test_id("entity-licences")
    expect(licences.get_by_role("heading")).to_have_text(chinese("Licences"))
    expect(licences.get_by_test_id("licence-number")).to_have_text(licence.number)
    screenshot("entity-profile-zh-hans")

    # when: the inspector switches the interface to English
    page.get_by_test_id("lang-en").click()

    # then: the same profile, with English labels
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("entity-name")).to_have_text(PHARMACY)
    expect(licences.get_by_role("heading")).to_have_text("Licences")
    expect(licences.get_by_test_id("licence-number")).to_have_text(licence.number)
    expect(page.get_by_test_id("lang-zh-hans")).to_be_visible()
    screenshot("entity-profile-en")


def test_inspector_of_another_county_gets_not_found_for_the_profile(
    page, sign_in, user_in_department
):
    # given: an entity in 城关区 (540102) and an inspector of 桑珠孜区 (540202)
    pharmacy = EntityFactory(name=PHARMACY, region_id="540102")
    outsider = user_in_department(role=Role.INSPECTOR, region="540202")

    # when
    sign_in(outsider.username, TEST_PASSWORD)
    response = page.goto(reverse("registry:entity_detail", args=[pharmacy.public_id]))

    # then: the same page as for an entity that does not exist
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("404")
    expect(page.locator("main")).to_contain_text(
        chinese("The page does not exist, or you may not see it.")
    )
    expect(page.get_by_text(PHARMACY)).to_have_count(0)
    expect(page.get_by_test_id("entity-name")).to_have_count(0)


def test_data_steward_fixes_an_invalid_credit_code_and_registers_the_entity(
    page, sign_in, screenshot, user_in_department
):
    # given: a data steward of 城关区 and a credit code with a wrong check character
    steward = user_in_department(role=Role.DATA_STEWARD, region="540102")
    valid_code = uscc_for(7)
    wrong_code = valid_code[:-1] + ("0" if valid_code[-1] != "0" else "1")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as invalid:
        validate_unified_social_credit_code(wrong_code)
    expected_error = invalid.value.messages[0]
    assert CHINESE.search(expected_error)
    assert expected_error.endswith("。")
    name = "城关区雪域藏药房"

    # when: the steward fills in the form with the wrong code
    sign_in(steward.username, TEST_PASSWORD)
    page.goto(reverse("registry:entity_create"))
    form = page.get_by_test_id("entity-form")
    form.locator("[name=name]").fill(name)
    form.locator("[name=kind]").select_option(EntityKind.TIBETAN_MEDICINE)
    form.locator("[name=region_code]").select_option("540102")
    code_input = form.locator("[name=unified_social_credit_code]")
    code_input.fill(wrong_code)
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        page.get_by_test_id("entity-save").click()

    # then: the form comes back (422) with the error under the credit code, nothing saved
    assert refused.value.status == 422
    code_error = code_input.locator("xpath=..").locator(".errorlist")
    expect(code_error).to_have_text(expected_error)
    expect(page.locator(".errorlist")).to_have_count(1)
    expect(form.locator("[name=name]")).to_have_value(name)
    assert not Entity.objects.filter(name=name).exists()

    # when: the steward corrects the code and saves again
    code_input.fill(valid_code)
    with page.expect_navigation():
        page.get_by_test_id("entity-save").click()

    # then: the new profile shows the entity and its code
    entity = Entity.objects.get(name=name)
    expect(page).to_have_url(
        re.compile(re.escape(reverse("registry:entity_detail", args=[entity.public_id])) + "$")
    )
    expect(page.get_by_test_id("entity-name")).to_have_text(name)
    expect(page.get_by_test_id("entity-uscc")).to_have_text(valid_code)
    screenshot("entity-registered-zh-hans")
    assert entity.unified_social_credit_code == valid_code
    assert entity.registered_by == steward.memberships.get().department
    assert AuditEvent.objects.filter(action="registry.entity_created").count() == 1

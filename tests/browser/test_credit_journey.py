"""Credit in a real browser: an officer sees an entity's grade and the restrictions in force,
a restricted decision (an honour, 评优评先) is refused with the reason, credit repair is applied
for and granted by the head, the restriction lifts and the public credit page changes.

Screenshots at 1280 px and 390 px go to var/screenshots/credit-*.png.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import TEST_PASSWORD
from yaojian.credit import grades
from yaojian.credit.choices import RecordKind, RecordOrigin
from yaojian.credit.models import CheckedDecision, CreditRecord, RepairApplication, RuleSet
from yaojian.credit.rules import DEFAULT_RULES
from yaojian.portal import services as portal
from yaojian.portal.choices import PublicationStatus
from yaojian.portal.tests.factories import penalty
from yaojian.registry.models import Entity
from yaojian.registry.tests.factories import EntityFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
BASIS = "《中华人民共和国药品管理法》第一百一十七条"


def shots(page: Any, name: str) -> None:
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SCREENSHOTS / f"credit-{name}-desktop.png"), full_page=True)
    page.set_viewport_size(MOBILE)
    page.screenshot(path=str(SCREENSHOTS / f"credit-{name}-390.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_restriction_refused_then_lifted_by_credit_repair(
    page: Any, sign_in: Any, user_in_department: Any, deliver_outbox: Any
) -> None:
    # given: the province's rule set says an active administrative penalty bars honours;
    # a pharmacy fined 400 days ago, its penalty published on the portal
    RuleSet.objects.create(
        province_code="540000",
        version=1,
        text=json.dumps({**DEFAULT_RULES, "restrictions": {"penalty": ["honour"]}}),
        valid_from=dt.date(2025, 1, 1),
    )
    officer = user_in_department(role=Role.CASE_OFFICER, region="540102")
    department = officer.memberships.get().department
    head = user_in_department(role=Role.DEPARTMENT_HEAD, department=department)
    entity = EntityFactory(region_id="540102", registered_by=department, name="城关区康宁大药房")
    decided_on = timezone.localdate() - dt.timedelta(days=400)
    payload = penalty(
        department,
        decided_on=decided_on,
        party_name=entity.name,
        party_credit_code=entity.unified_social_credit_code,
        entity_public_id=entity.public_id,
    )
    draft = portal.ingest_decision(payload=payload)
    assert draft is not None
    publication = portal.publish_publication(actor=None, publication=draft)
    record = CreditRecord.objects.create(
        entity=entity,
        region_id="540102",
        kind=RecordKind.PENALTY,
        origin=RecordOrigin.EVENT,
        origin_ref=str(payload.decision_public_id),
        source_department=department,
        legal_basis=BASIS,
        summary=payload.penalty_summary,
        occurred_on=decided_on,
        expires_on=decided_on + dt.timedelta(days=3 * 365),
    )
    grades.recompute(entity_ids=[entity.pk])

    # when: the officer opens the entity's profile
    sign_in(officer.username, TEST_PASSWORD)
    page.goto(reverse("registry:entity_detail", args=[entity.public_id]))
    # then: the credit card shows grade B, the penalty and the restricted honour
    expect(page.get_by_test_id("credit-grade")).to_have_attribute("data-grade", "B")
    expect(page.get_by_test_id("credit-restriction")).to_contain_text(BASIS)
    shots(page, "profile-restricted")

    # when: the officer records an honour for the pharmacy
    page.goto(reverse("credit:decision_create"))
    page.locator("#id_action").select_option("honour")
    page.locator("#id_credit_code").fill(entity.unified_social_credit_code)
    page.locator("#id_title").fill("2026年度诚信经营示范药店")
    page.get_by_test_id("decision-submit").click()
    # then: it is refused with the reason, nothing recorded
    expect(page.get_by_test_id("decision-form")).to_contain_text(BASIS)
    shots(page, "honour-refused")
    assert not CheckedDecision.objects.exists()

    # when: the officer applies for credit repair on the pharmacy's behalf
    page.goto(reverse("credit:record_detail", args=[record.public_id]))
    page.locator("details:has([data-testid=repair-form]) > summary").click()
    form = page.get_by_test_id("repair-form")
    form.locator("[name=penalty_complied]").check()
    form.locator("[name=harm_remedied]").check()
    form.locator("[name=statement]").fill("罚款已缴清，问题药品已召回。")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("repair-state")).to_have_attribute("data-state", "applied")
    application = RepairApplication.objects.get()

    # and the head grants it with reasons
    page.context.clear_cookies()
    sign_in(head.username, TEST_PASSWORD)
    page.goto(reverse("credit:repair_detail", args=[application.public_id]))
    decide = page.get_by_test_id("repair-decide")
    decide.locator("[name=grant]").select_option("1")
    decide.locator("[name=reasons]").fill("符合第14条规定的修复条件。")
    with page.expect_navigation():
        decide.locator("button[type=submit]").click()
    expect(page.get_by_test_id("repair-state")).to_have_attribute("data-state", "granted")
    shots(page, "repair-granted")
    deliver_outbox()  # CreditRepaired reaches the portal (if the live server did not already)

    # then: the restriction has lifted — grade A, the honour goes through
    page.context.clear_cookies()
    sign_in(officer.username, TEST_PASSWORD)
    page.goto(reverse("registry:entity_detail", args=[entity.public_id]))
    expect(page.get_by_test_id("credit-grade")).to_have_attribute("data-grade", "A")
    expect(page.get_by_test_id("credit-no-restriction")).to_be_visible()
    page.goto(reverse("credit:decision_create"))
    page.locator("#id_action").select_option("honour")
    page.locator("#id_credit_code").fill(entity.unified_social_credit_code)
    page.locator("#id_title").fill("2026年度诚信经营示范药店")
    with page.expect_navigation():
        page.get_by_test_id("decision-submit").click()
    expect(page.get_by_test_id("decision-row")).to_contain_text("2026年度诚信经营示范药店")

    # and the public pages changed: the penalty is no longer displayed, the repair is shown
    page.context.clear_cookies()
    page.goto(reverse("portal:credit_entity", args=[entity.public_id]))
    expect(page.get_by_test_id("public-credit-repairs")).to_be_visible()
    expect(page.get_by_test_id("public-credit-records")).not_to_contain_text(BASIS)
    shots(page, "public-page-repaired")
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.STOPPED
    assert CheckedDecision.objects.count() == 1


def test_a_banned_legal_representative_typed_on_the_entity_form_is_refused(
    page: Any, sign_in: Any, user_in_department: Any
) -> None:
    """处处受限 on the entity form: a steward registers a pharmacy naming a person banned from
    practice in another county; the form refuses it beside the field with the ban and the
    article; nothing is registered. Screenshots in var/screenshots/credit2/."""
    from tests.browser.conftest import SCREENSHOTS

    steward = user_in_department(role=Role.DATA_STEWARD, region="540102")
    other = user_in_department(role=Role.DATA_STEWARD, region="540103")
    other_department = other.memberships.get().department
    banned = PersonFactory(region_id="540103", department=other_department, name="罗布")
    CreditRecord.objects.create(
        person=banned,
        region_id="540103",
        kind=RecordKind.PRACTICE_BAN,
        origin=RecordOrigin.UI,
        source_department=other_department,
        legal_basis=BASIS,
        occurred_on=dt.date(2026, 1, 5),
        expires_on=None,
    )

    sign_in(steward.username, TEST_PASSWORD)
    page.goto(reverse("registry:entity_create"))
    page.locator("#id_name").fill("城关区新开药房")
    page.locator("#id_kind").select_option("single_pharmacy")
    page.locator("#id_region_code").select_option("540102")
    page.locator("#id_legal_representative").fill("罗布")
    page.get_by_test_id("entity-save").click()

    error = page.get_by_test_id("error-legal_representative")
    expect(error).to_contain_text("罗布")
    expect(error).to_contain_text(BASIS)
    folder = SCREENSHOTS / "credit2"
    folder.mkdir(parents=True, exist_ok=True)
    for name, viewport in (("desktop-1280", DESKTOP), ("phone-390", MOBILE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(folder / f"entity-form-refused-{name}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"]
    assert not Entity.objects.filter(name="城关区新开药房").exists()

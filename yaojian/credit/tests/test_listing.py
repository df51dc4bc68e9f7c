"""The serious-dishonesty list with the clocks of DOMAIN.md §2.5, the ledger, credit repair."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from yaojian.credit import services
from yaojian.credit.choices import LedgerState, ListingState, RecordKind, RecordOrigin
from yaojian.credit.models import CreditGrade, CreditRecord, LedgerEntry, Listing
from yaojian.notices.models import Notice

pytestmark = pytest.mark.django_db


def _penalty(
    world: Any,
    kind: str = RecordKind.HEAVY_PENALTY,
    conduct: str = "counterfeit",
    on: dt.date = dt.date(2026, 9, 1),
) -> CreditRecord:
    return CreditRecord.objects.create(
        entity=world.entity,
        region_id="540102",
        kind=kind,
        origin=RecordOrigin.EVENT,
        source_department=world.department,
        legal_basis="《药品管理法》第一百一十六条",
        occurred_on=on,
        conduct=conduct,
        origin_ref="decision-1",
    )


def _travel(day: dt.date) -> Any:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 1, 0, tzinfo=dt.UTC), tick=False
    )


def test_listing_without_a_qualifying_penalty_is_refused(world: Any, frozen: Any) -> None:
    light = _penalty(world, kind=RecordKind.PENALTY)
    with pytest.raises(ValidationError) as exc:
        services.propose_listing(actor=world.officer, item=light, reasons="销售假药")
    assert [e.code for e in exc.value.error_dict["record"]] == ["not_heavy"]
    heavy = _penalty(world, conduct="quality_practice_breach")
    heavy.origin_ref = "decision-2"
    heavy.save()
    with pytest.raises(ValidationError) as exc:
        services.propose_listing(actor=world.officer, item=heavy, reasons="x")
    assert [e.code for e in exc.value.error_dict["record"]] == ["no_trigger"]
    with pytest.raises(ValidationError) as exc:
        services.propose_listing(
            actor=world.officer, item=heavy, reasons="x", other_serious=True, no_intent_proved=True
        )
    assert exc.value.error_dict["no_intent_proved"][0].code == "no_intent"
    assert not Listing.objects.exists()


def test_county_listing_needs_the_city_and_opens_the_ledger(world: Any, frozen: Any) -> None:
    listing = services.propose_listing(
        actor=world.officer, item=_penalty(world), reasons="销售假药，情节严重。"
    )
    assert (listing.state, listing.triggers, listing.needs_approval) == (
        ListingState.PROPOSED,
        ["第6条"],
        True,
    )
    with pytest.raises(PermissionDenied):
        services.approve_listing(actor=world.head, listing=listing)
    listing = services.approve_listing(actor=world.city_head, listing=listing)
    assert listing.state == ListingState.APPROVED
    assert listing.approved_on == dt.date(2026, 9, 24)
    # 20 working days over the Mid-Autumn and National Day holidays (with the 10 Oct make-up day).
    assert listing.publish_due_on == dt.date(2026, 10, 29)
    assert listing.listed_until == dt.date(2029, 9, 24)
    assert CreditGrade.objects.get(entity=world.entity).grade == "D"
    entries = LedgerEntry.objects.filter(listing=listing)
    assert {e.department for e in entries} >= {world.department, world.insurance_department}
    notice = Notice.objects.get(recipient=world.insurance_department, source_app="credit")
    entry = entries.get(department=world.insurance_department)
    assert entry.notice_public_id == notice.public_id
    assert entry.due_on == dt.date(2026, 10, 15)  # 10 working days
    # The insurance bureau records the agreement termination; its notice is answered.
    with pytest.raises(ValidationError):
        services.record_execution(actor=world.insurance, entry=entry, state="applied")
    with pytest.raises(LedgerEntry.DoesNotExist):  # another department's measure
        services.record_execution(actor=world.officer, entry=entry, state="applied", evidence="x")
    services.record_execution(
        actor=world.insurance, entry=entry, state="applied", evidence="解除医保定点协议通知书"
    )
    entry.refresh_from_db()
    notice.refresh_from_db()
    assert (entry.state, notice.state) == (LedgerState.APPLIED, "answered")


def test_province_listing_is_approved_at_once(world: Any, frozen: Any) -> None:
    from yaojian.accounts.tests.factories import MembershipFactory

    MembershipFactory(
        user=world.officer,
        department=world.province_head.memberships.get().department,
        role="case_officer",
    )
    from yaojian.accounts.scoping import forget_scope

    forget_scope(world.officer)
    item = _penalty(world)
    listing = services.propose_listing(actor=world.officer, item=item, reasons="x")
    assert listing.state == ListingState.PROPOSED  # the county membership is the most local
    assert listing.needs_approval


def test_overdue_ledger_confirmation_escalates_like_a_notice(world: Any, frozen: Any) -> None:
    from yaojian.notices.services import escalate_overdue_notices

    listing = services.propose_listing(actor=world.officer, item=_penalty(world), reasons="x")
    services.approve_listing(actor=world.city_head, listing=listing)
    notice = Notice.objects.get(recipient=world.insurance_department, source_app="credit")
    with _travel(dt.date(2026, 10, 22)):
        assert escalate_overdue_notices() >= 1
    notice.refresh_from_db()
    assert notice.escalation_level == 1
    response_rows = LedgerEntry.objects.filter(state="pending", due_on__lt=dt.date(2026, 10, 22))
    assert response_rows.count() >= 1


def test_removal_clocks_with_holidays(world: Any) -> None:
    with _travel(dt.date(2025, 9, 24)):
        listing = services.propose_listing(
            actor=world.officer, item=_penalty(world, on=dt.date(2025, 9, 1)), reasons="x"
        )
        services.approve_listing(actor=world.city_head, listing=listing)
        services.publish_listing(actor=world.officer, listing=listing)
        with pytest.raises(ValidationError) as exc:
            services.apply_for_removal(actor=world.officer, listing=listing, statement="已整改")
        assert exc.value.error_dict["applied_on"][0].code == "too_early"
    with _travel(dt.date(2026, 9, 24)):
        listing = services.apply_for_removal(
            actor=world.officer, listing=listing, statement="已整改"
        )
        assert listing.removal_accept_due_on == dt.date(2026, 9, 29)
    with _travel(dt.date(2026, 9, 29)):
        listing = services.accept_removal_application(actor=world.officer, listing=listing)
        assert listing.removal_decide_due_on == dt.date(2026, 10, 26)
    with _travel(dt.date(2026, 9, 30)):
        refused = services.decide_removal(
            actor=world.head,
            listing=listing,
            obligations_fulfilled=True,
            harm_remedied=False,
            reasons="核查",
        )
        assert refused.state == ListingState.PUBLISHED
        assert (
            "the harm is not remedied" in refused.removal_reasons
            or "危害" in refused.removal_reasons
        )
        services.apply_for_removal(actor=world.officer, listing=listing, statement="再次申请")
        services.accept_removal_application(actor=world.officer, listing=listing)
        listing = services.decide_removal(
            actor=world.head,
            listing=listing,
            obligations_fulfilled=True,
            harm_remedied=True,
            reasons="条件均已满足",
        )
        assert (listing.state, listing.removal_kind) == (ListingState.REMOVED, "early")
        assert listing.stop_publication_due_on == dt.date(2026, 10, 10)  # a make-up Saturday
        assert CreditGrade.objects.get(entity=world.entity).grade == "C"
        relisted = services.relist(actor=world.head, listing=listing, reasons="以欺骗手段移出")
        assert (relisted.state, relisted.listed_until) == (
            ListingState.APPROVED,
            dt.date(2029, 9, 30),
        )


def test_listing_is_removed_automatically_after_three_years(world: Any) -> None:
    with _travel(dt.date(2026, 9, 24)):
        listing = services.propose_listing(actor=world.officer, item=_penalty(world), reasons="x")
        services.approve_listing(actor=world.city_head, listing=listing)
    assert services.expire_listings(day=dt.date(2029, 9, 23)) == 0
    assert services.expire_listings(day=dt.date(2029, 9, 24)) == 1
    assert services.expire_listings(day=dt.date(2029, 9, 25)) == 0
    listing.refresh_from_db()
    # The 2029 holiday calendar is not entered yet: no working-day deadline is invented.
    assert (listing.state, listing.removal_kind, listing.stop_publication_due_on) == (
        ListingState.REMOVED,
        "expired",
        None,
    )


def test_repair_conditions_are_each_named(world: Any, frozen: Any) -> None:
    heavy = _penalty(world)
    with pytest.raises(ValidationError) as exc:
        services.apply_for_repair(
            actor=world.officer, item=heavy, penalty_complied=True, harm_remedied=True
        )
    assert "第14条" in exc.value.error_dict["record"][0].message
    light = _penalty(
        world, kind=RecordKind.PENALTY, conduct="quality_practice_breach", on=dt.date(2026, 3, 1)
    )
    light.origin_ref = "decision-3"
    light.save()
    with pytest.raises(ValidationError) as exc:
        services.apply_for_repair(
            actor=world.officer, item=light, penalty_complied=False, harm_remedied=False
        )
    codes = [e.code for e in exc.value.error_dict["record"]]
    assert codes == ["condition_failed"] * 3  # period, compliance, harm
    with _travel(dt.date(2027, 3, 2)):
        application = services.apply_for_repair(
            actor=world.officer, item=light, penalty_complied=True, harm_remedied=True
        )
        with pytest.raises(PermissionDenied):
            services.decide_repair(
                actor=world.officer, application=application, grant=True, reasons="x"
            )
        services.decide_repair(
            actor=world.head, application=application, grant=True, reasons="符合条件"
        )
    light.refresh_from_db()
    assert light.status == "repaired"


def test_authorization_matrix_and_masking(world: Any, client: Any) -> None:
    item = services.create_record(
        actor=world.officer,
        person=world.person,
        kind=RecordKind.PRACTICE_BAN,
        legal_basis="《药品管理法》第一百一十八条",
        occurred_on=dt.date(2026, 9, 1),
    )
    url = reverse("credit:record_detail", args=[item.public_id])
    client.force_login(world.officer)
    assert world.person.name in client.get(url).content.decode()
    client.force_login(world.other_officer)  # another county: not in scope
    assert client.get(url).status_code == 404
    client.force_login(world.city_head)  # sees the county, not the handling department
    text = client.get(url).content.decode()
    assert world.person.name not in text
    assert "张*" in text
    client.force_login(world.insurance)
    assert client.get(reverse("credit:rule_set")).status_code == 403
    assert client.get(reverse("credit:override_create")).status_code == 403
    client.force_login(world.head)
    assert client.get(reverse("credit:override_create")).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "record_list",
        "grade_list",
        "listing_list",
        "repair_list",
        "ledger_list",
        "restriction_check",
    ],
)
def test_pages_render(world: Any, client: Any, name: str) -> None:
    client.force_login(world.officer)
    assert client.get(reverse(f"credit:{name}")).status_code == 200
    assert client.get(reverse(f"credit:{name}"), HTTP_HX_REQUEST="true").status_code == 200


def test_entity_panel_explains_the_grade(world: Any, client: Any) -> None:
    _penalty(world)
    client.force_login(world.officer)
    response = client.get(reverse("credit:entity_panel", args=[world.entity.public_id]))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-grade="C"' in text
    assert "-30" in text


def test_public_credit_page_and_list_with_exports(world: Any, client: Any, frozen: Any) -> None:
    listing = services.propose_listing(actor=world.officer, item=_penalty(world), reasons="x")
    services.approve_listing(actor=world.city_head, listing=listing)
    response = client.get(reverse("portal:dishonesty_list"))
    assert world.entity.name not in response.content.decode()  # approved, not yet published
    services.publish_listing(actor=world.officer, listing=listing)
    response = client.get(reverse("portal:dishonesty_list"))
    assert world.entity.name in response.content.decode()
    csv_text = client.get(reverse("portal:dishonesty_list") + "?format=csv").content.decode()
    assert world.entity.unified_social_credit_code in csv_text
    xlsx = client.get(reverse("portal:dishonesty_list") + "?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    page = client.get(reverse("portal:credit_entity", args=[world.entity.public_id]))
    text = page.content.decode()
    assert 'data-testid="public-listing"' in text
    assert "扎西" not in text
    assert "扎某某" in text
    search = client.get(
        reverse("portal:credit_search"), {"q": world.entity.unified_social_credit_code}
    )
    assert world.entity.name in search.content.decode()

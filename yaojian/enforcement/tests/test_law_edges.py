"""The law's edge cases (DOMAIN.md §2.1, §2.2, §2.4, §2.6): party kinds and fines, hearing
scope per province, the hearing timetable, excluded periods and provisional calendars."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from yaojian.audit.models import AuditEvent
from yaojian.enforcement import fines, services
from yaojian.enforcement.choices import (
    ClockKind,
    DefenceKind,
    PartyKind,
    PauseReason,
    PenaltyKind,
    ReviewConclusion,
)
from yaojian.enforcement.fines import FineNotApplicableError, calculate_fine
from yaojian.enforcement.models import Case, CaseClock, PenaltyItem
from yaojian.enforcement.services import ItemInput
from yaojian.enforcement.services.penalties import hearing_in_scope, publication_for
from yaojian.enforcement.tests.conftest import filed_case, new_clue

D = Decimal
LAW = "《中华人民共和国药品管理法》"

# --- natural persons are fined under the article's own grid ---------------------------------

PARTY_GRID = [
    # party kind, conduct, value, flags, minimum, maximum, article
    # A street seller without a licence (第115条): 15–30× of at least 10万.
    ("natural_person", "unlicensed", "3000", {}, "1500000.00", "3000000.00", "第一百一十五条"),
    # An individual selling counterfeit drugs (第116条).
    ("natural_person", "counterfeit", "250000", {}, "3750000.00", "7500000.00", "第一百一十六条"),
    # A sole trader's clinic selling its preparations (第133条): 2–5× of at least 5万.
    ("individual_business", "hospital_preparation_sale", "8000", {}, "100000.00", "250000.00", "第一百三十三条"),
    ("individual_business", "unapproved_drug", "120000", {"serious": True}, "1800000.00", "3600000.00", "第一百二十四条"),
    # 劣药 in retail by an individual business: floor 1万 (第117条).
    ("individual_business", "substandard", "5000", {"retail": True}, "100000.00", "200000.00", "第一百一十七条"),
    # The organisation itself, and its responsible person (第118条: 30%–3× of the income).
    ("organisation", "counterfeit", "50000", {}, "1500000.00", "3000000.00", "第一百一十六条"),
    ("organisation", "counterfeit", "40000", {"responsible_person": True}, "12000.00", "120000.00", "第一百一十八条"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("party", "conduct", "value", "flags", "low", "high", "article"), PARTY_GRID
)
def test_party_kinds_use_the_articles_own_grid(party, conduct, value, flags, low, high, article):
    fine = calculate_fine(conduct, D(value), party_kind=party, **flags)

    assert (fine.minimum, fine.maximum, fine.article) == (D(low), D(high), f"{LAW}{article}")


@pytest.mark.parametrize("party", ["natural_person", "individual_business"])
def test_article_118_is_refused_for_a_party_who_is_not_an_organisation(party):
    with pytest.raises(FineNotApplicableError, match="第一百一十六条"):
        calculate_fine("counterfeit", D("40000"), party_kind=party, responsible_person=True)


def test_unknown_party_kind_is_refused():
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValueError, match="not a kind of party"):
        calculate_fine("counterfeit", D("1"), party_kind="robot")


def test_party_kind_values_match_the_model_choices():
    assert set(fines.PartyKind.ALL) == set(PartyKind.values)


def test_a_natural_person_party_is_fined_under_article_116(office: Any, frozen: Any) -> None:
    case = filed_case(office, party_name="张三", party_kind=PartyKind.NATURAL_PERSON)
    assert case.party_is_person is True

    decision = services.propose_penalty(
        actor=office.officer,
        case=case,
        violation="个人销售假药",
        legal_basis="药品管理法第116条",
        items=[
            ItemInput(
                kind=PenaltyKind.FINE, amount="1500000", conduct="counterfeit", goods_value="8000"
            )
        ],
    )

    item = decision.items.get()
    assert (item.fine_minimum, item.fine_maximum) == (D("1500000.00"), D("3000000.00"))
    assert item.article == f"{LAW}第一百一十六条"


def test_a_responsible_person_fine_needs_the_person_and_is_refused_for_a_natural_person(
    office: Any, frozen: Any
) -> None:
    case = filed_case(office, party_name="李四", party_kind=PartyKind.NATURAL_PERSON)
    steps = case.steps.count()
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.propose_penalty(
            actor=office.officer,
            case=case,
            violation="个人销售假药",
            legal_basis="药品管理法第118条",
            items=[
                ItemInput(
                    kind=PenaltyKind.FINE,
                    amount="20000",
                    conduct="counterfeit",
                    goods_value="40000",
                    responsible_person=True,
                )
            ],
        )

    codes = [e.code for e in excinfo.value.error_dict["items"]]
    assert codes == ["person_required", "fine_not_applicable"]
    assert not case.decisions.exists()
    assert (case.steps.count(), AuditEvent.objects.count()) == (steps, events)


# --- hearing scope: fine and confiscation each against its own threshold ----------------------


def _items(**amounts: str) -> list[PenaltyItem]:
    return [PenaltyItem(kind=kind, amount=D(value)) for kind, value in amounts.items()]


def _case(kind: str = PartyKind.ORGANISATION, region: str = "540102") -> Case:
    return Case(party_kind=kind, region_id=region)


@pytest.mark.parametrize(
    ("party", "amounts", "expected"),
    [
        # Organisation: 60,000 fine + 50,000 gains — each below 100,000: no hearing.
        (PartyKind.ORGANISATION, {"fine": "60000", "confiscate_gains": "50000"}, False),
        (PartyKind.ORGANISATION, {"fine": "100000"}, True),
        (PartyKind.ORGANISATION, {"fine": "99999.99"}, False),
        # Confiscated property counts, together with the illegal gains.
        (PartyKind.ORGANISATION, {"confiscate_goods": "100000"}, True),
        (PartyKind.ORGANISATION, {"confiscate_gains": "40000", "confiscate_goods": "60000"}, True),
        (
            PartyKind.ORGANISATION,
            {"confiscate_gains": "40000", "confiscate_goods": "59999.99"},
            False,
        ),
        # A natural person and an individual business: 10,000 (inclusive).
        (PartyKind.NATURAL_PERSON, {"fine": "10000"}, True),
        (PartyKind.NATURAL_PERSON, {"fine": "6000", "confiscate_gains": "6000"}, False),
        (PartyKind.INDIVIDUAL_BUSINESS, {"confiscate_goods": "10000"}, True),
        (PartyKind.INDIVIDUAL_BUSINESS, {"fine": "9999.99"}, False),
    ],
)
def test_hearing_scope(party, amounts, expected):
    assert hearing_in_scope(_case(party), _items(**amounts)) is expected


@override_settings(
    PROVINCIAL_RULES={
        "": {"hearing_fine_organisation": 200000},
        "54": {"hearing_fine_organisation": 50000, "hearing_confiscation_person": 3000},
    }
)
def test_hearing_thresholds_are_per_province():
    fine = _items(fine="50000")
    assert hearing_in_scope(_case(region="540102"), fine) is True
    assert hearing_in_scope(_case(region="110101"), fine) is False  # default row: 200,000
    assert hearing_in_scope(_case(region="110101"), _items(fine="200000")) is True
    # Keys a province does not set fall back to the defaults.
    assert hearing_in_scope(_case(region="540102"), _items(confiscate_gains="99999")) is False
    person = _case(PartyKind.NATURAL_PERSON, "540102")
    assert hearing_in_scope(person, _items(confiscate_gains="3000")) is True
    assert (
        hearing_in_scope(_case(PartyKind.NATURAL_PERSON, "110101"), _items(confiscate_gains="3000"))
        is False
    )


# --- a lifetime ban is published for its actual term ------------------------------------------


def test_a_lifetime_ban_is_a_restriction_longer_than_three_years(office: Any, frozen: Any) -> None:
    from yaojian.portal import rules
    from yaojian.portal.choices import DisplayRule
    from yaojian.registry.tests.factories import PersonFactory

    case = filed_case(office)
    person = PersonFactory(department=office.department)
    decision = services.propose_penalty(
        actor=office.officer,
        case=case,
        violation="生产假药",
        legal_basis="药品管理法第118条",
        items=[ItemInput(kind=PenaltyKind.BAN_PERSON, person=person.public_id)],
    )

    publication = publication_for(case, decision)

    assert (publication.restriction_years, publication.restriction_lifetime) == (None, True)
    rule = rules.display_rule(
        penalty_kinds=publication.penalty_kinds,
        fine_amount=None,
        restriction_years=None,
        restriction_lifetime=True,
        region_code="540102",
        party_is_person=False,
    )
    assert rule == DisplayRule.RESTRICTION_TERM
    assert rules.display_until(dt.date(2026, 3, 4), rule, None, lifetime=True) == dt.date(
        9999, 12, 31
    )


# --- every excluded period can be a pause -----------------------------------------------------


@pytest.mark.parametrize("reason", [PauseReason.IDENTIFICATION, PauseReason.PRICE_REFUND])
def test_identification_and_price_refund_are_excluded_from_the_90_days(
    office: Any, frozen: Any, reason: str
) -> None:
    case = filed_case(office)
    clock = case.clocks.get(kind=ClockKind.DECISION)
    assert clock.due_on == dt.date(2026, 6, 2)  # filed Wed 2026-03-04 + 90 days

    services.pause_clock(actor=office.officer, clock=clock, reason=reason, paused_on="2026-03-04")
    frozen.move_to(dt.datetime(2026, 3, 14, 1, tzinfo=dt.UTC))
    services.resume_clock(actor=office.officer, clock=clock, resumed_on="2026-03-14")

    clock.refresh_from_db()
    assert clock.pauses.get().reason == reason
    assert clock.due_on == dt.date(2026, 6, 12)  # 10 days excluded


# --- the hearing timetable --------------------------------------------------------------------


def _to_hearing(office: Any, case: Any) -> None:
    services.add_evidence(actor=office.officer, case=case, kind="physical", description="假药")
    services.propose_penalty(
        actor=office.officer,
        case=case,
        violation="销售假药",
        legal_basis="药品管理法第116条",
        items=[ItemInput(kind=PenaltyKind.SUSPEND_BUSINESS)],
    )
    services.submit_for_review(actor=office.officer, case=case)
    services.review_case(
        actor=office.reviewer, case=case, opinion="同意", conclusion=ReviewConclusion.APPROVE
    )
    services.issue_notice(actor=office.officer, case=case)
    services.record_defence(
        actor=office.officer,
        case=case,
        kind=DefenceKind.STATEMENT,
        text="要求听证",
        hearing_requested=True,
    )
    services.appoint_presiding_officer(
        actor=office.head, case=case, presiding_officer=office.leader
    )


def test_the_time_and_place_are_due_five_working_days_after_the_file(
    office: Any, frozen: Any
) -> None:
    case = filed_case(office)
    _to_hearing(office, case)

    services.hand_over_file(actor=office.officer, case=case)

    clock = case.clocks.get(kind=ClockKind.HEARING_SCHEDULE)
    assert (clock.started_on, clock.due_on) == (dt.date(2026, 3, 4), dt.date(2026, 3, 11))
    services.schedule_hearing(
        actor=office.officer, case=case, scheduled_for="2026-03-16", place="听证室"
    )
    clock.refresh_from_db()
    assert (clock.state, clock.met) == ("stopped", True)
    assert case.hearing.announced_on == dt.date(2026, 3, 4)


def test_a_public_hearing_announced_under_three_working_days_before_is_refused(
    office: Any, frozen: Any
) -> None:
    case = filed_case(office)
    _to_hearing(office, case)
    services.hand_over_file(actor=office.officer, case=case)
    frozen.move_to(dt.datetime(2026, 3, 11, 1, tzinfo=dt.UTC))
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.schedule_hearing(
            actor=office.officer,
            case=case,
            scheduled_for="2026-03-13",  # Friday: 3 wd after Tue 03-10
            place="听证室",
            notice_served_on="2026-03-03",
            announced_on="2026-03-11",  # only 2 wd before
        )

    error = excinfo.value.error_dict["announced_on"][0]
    assert error.code == "announcement_too_late"
    assert error.params["date"] == dt.date(2026, 3, 10)
    case.hearing.refresh_from_db()
    assert case.hearing.scheduled_for is None
    assert AuditEvent.objects.count() == events
    # Exactly 3 wd before is enough; a hearing that is not public needs no announcement.
    services.schedule_hearing(
        actor=office.officer,
        case=case,
        scheduled_for="2026-03-13",
        place="听证室",
        notice_served_on="2026-03-03",
        announced_on="2026-03-10",
    )
    case.hearing.refresh_from_db()
    assert (case.hearing.scheduled_for, case.hearing.announced_on) == (
        dt.date(2026, 3, 13),
        dt.date(2026, 3, 10),
    )


def test_a_hearing_that_is_not_public_is_not_announced(office: Any, frozen: Any) -> None:
    case = filed_case(office)
    _to_hearing(office, case)
    services.hand_over_file(actor=office.officer, case=case)

    hearing = services.schedule_hearing(
        actor=office.officer,
        case=case,
        scheduled_for="2026-03-16",
        place="听证室",
        is_public=False,
    )

    assert (hearing.is_public, hearing.announced_on) == (False, None)


# --- a provisional year: flagged, shown, recomputed when the schedule is loaded ---------------


def test_a_deadline_in_a_provisional_year_is_flagged_and_recomputed(
    office: Any, django_capture_on_commit_callbacks: Any, client: Any
) -> None:
    import time_machine

    from yaojian.accounts.tests.factories import UserFactory
    from yaojian.clocks import services as clock_services
    from yaojian.clocks.models import CalendarYear, YearStatus

    assert CalendarYear.objects.get(year=2027).status == YearStatus.PROVISIONAL
    with time_machine.travel(dt.datetime(2026, 12, 1, 1, tzinfo=dt.UTC), tick=False):
        case = filed_case(office)  # 90 days from 2026-12-01 → 2027-03-01
        clock = case.clocks.get(kind=ClockKind.DECISION)
        early = case.clocks.get(kind=ClockKind.VERIFICATION)
        assert (clock.due_on, clock.provisional) == (dt.date(2027, 3, 1), True)
        assert early.provisional is False  # stopped in 2026

        client.force_login(office.officer)
        page = client.get(f"/enforcement/cases/{case.public_id}/")
        assert (
            page.content.decode().count('data-testid="clock-provisional"') == 2
        )  # badge and table

        admin = UserFactory(is_superuser=True, is_staff=True)
        # The official schedule makes Monday 2027-03-01 a holiday (a test schedule).
        with django_capture_on_commit_callbacks(execute=True):
            clock_services.import_calendar_year(
                actor=admin,
                year=2027,
                text="date,kind,name\n2027-01-01,holiday,元旦\n2027-03-01,holiday,测试\n",
                status=YearStatus.OFFICIAL,
                source="国办发明电〔2026〕",
            )

    clock.refresh_from_db()
    case.refresh_from_db()
    assert (clock.due_on, clock.provisional) == (dt.date(2027, 3, 2), False)
    assert case.steps.filter(action="clock_recomputed").count() == 1
    assert AuditEvent.objects.filter(action="enforcement.clock_recomputed").count() == 1


def test_recomputing_leaves_clocks_of_other_years_alone(office: Any, frozen: Any) -> None:
    from yaojian.enforcement.services.clocks import recompute_provisional_clocks

    case = filed_case(office)
    before = list(case.clocks.values_list("id", "due_on", "provisional"))

    assert recompute_provisional_clocks((2027,)) == 0
    assert list(case.clocks.values_list("id", "due_on", "provisional")) == before
    assert not CaseClock.objects.filter(provisional=True).exists()


def test_a_natural_person_clue_sets_the_party_kind(office: Any, frozen: Any) -> None:
    legacy = new_clue(office, party_name="王五", party_is_person=True)
    business = new_clue(office, party_name="某诊所", party_kind=PartyKind.INDIVIDUAL_BUSINESS)

    assert (legacy.party_kind, legacy.party_is_person) == (PartyKind.NATURAL_PERSON, True)
    assert (business.party_kind, business.party_is_person, business.party_is_citizen) == (
        PartyKind.INDIVIDUAL_BUSINESS,
        False,
        True,
    )
    with pytest.raises(ValidationError) as excinfo:
        new_clue(office, party_name="x", party_kind="robot")
    assert "party_kind" in excinfo.value.error_dict

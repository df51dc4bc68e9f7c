"""The referral procedure (DOMAIN.md §2.7): steps, clocks, refusals, audit, events, notices."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.audit.models import AuditEvent
from yaojian.core.events import subscribe, unsubscribe
from yaojian.documents.models import Document
from yaojian.referrals import clocks, services
from yaojian.referrals.choices import ReferralState
from yaojian.referrals.events import ReferralAnswered, ReferralMade
from yaojian.referrals.models import Referral, ReferralStep

pytestmark = pytest.mark.django_db(transaction=False)

# Monday 2026-03-02 09:00 Beijing time
T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


def _report(world):
    return services.create_referral(
        actor=world.officer,
        case=world.case,
        suspected_crime="生产、销售假药罪",
        report="经查，当事人销售假药，涉嫌犯罪。",
        team=[world.officer, world.colleague],
    )


def test_report_needs_a_team_of_two_and_writes_nothing_otherwise(world):
    with pytest.raises(ValidationError) as caught:
        services.create_referral(
            actor=world.officer,
            case=world.case,
            suspected_crime="x",
            report="y",
            team=[world.officer],
        )

    assert "team" in caught.value.message_dict
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="referrals.").exists()


def test_team_members_must_belong_to_the_case_department(world):
    with pytest.raises(ValidationError):
        services.create_referral(
            actor=world.officer, case=world.case, suspected_crime="x", report="y",
            team=[world.officer, world.outsider],
        )  # fmt: skip


def test_outsiders_cannot_report(world):
    with pytest.raises(PermissionDenied):
        services.create_referral(
            actor=world.outsider, case=world.case, suspected_crime="x", report="y",
            team=[world.officer, world.colleague],
        )  # fmt: skip


def test_the_whole_procedure_with_its_clocks(world, django_capture_on_commit_callbacks):
    made: list[ReferralMade] = []
    answered: list[ReferralAnswered] = []
    subscribe(ReferralMade, made.append)
    subscribe(ReferralAnswered, answered.append)
    try:
        with time_machine.travel(T0, tick=False):
            referral = _report(world)
            decide = clocks.referral_clocks(referral)[0]
            # reported Monday: 3 days → Thursday 2026-03-05 end of day (Beijing)
            assert decide.key == "decide"
            assert decide.due_at == dt.datetime(2026, 3, 5, 15, 59, 59, tzinfo=dt.UTC)
            assert decide.status(T0) == "running"
        with pytest.raises(ValidationError) as caught:
            services.decide_referral(actor=world.head, referral=referral, approve=False)
        assert list(caught.value.message_dict) == ["reasons"]
        with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
            referral = services.decide_referral(
                actor=world.head,
                referral=referral,
                approve=True,
                police_department=world.police_department,
            )
            transfer = clocks.referral_clocks(referral)[1]
            assert transfer.key == "transfer"
            assert transfer.due_at == T0 + dt.timedelta(days=2)  # 24 hours after approval
        with (
            time_machine.travel(T0 + dt.timedelta(days=1, hours=25), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert transfer.status(T0 + dt.timedelta(days=1, hours=25)) == "overdue"
            referral = services.transfer_referral(actor=world.officer, referral=referral)
        assert referral.state == ReferralState.TRANSFERRED
        assert ReferralStep.objects.get(referral=referral, action="transfer").is_late is True
        letter = Document.objects.get(public_id=str(referral.letter_document_id))
        assert letter.kind == "referral_letter"
        assert letter.subject == f"referrals.referral:{referral.public_id}"
        assert [e.police_department_id for e in made] == [world.police_department.pk]
        with time_machine.travel(T0 + dt.timedelta(days=3), tick=False):
            referral = services.receive_referral(actor=world.police, referral=referral)
            review = next(c for c in clocks.referral_clocks(referral) if c.key == "police_review")
            # transferred Wed 03-04: 3 days end Sat 03-07, a rest day → Mon 03-09
            assert review.due_at.date() == dt.date(2026, 3, 9)
        with (
            time_machine.travel(T0 + dt.timedelta(days=4), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            referral = services.answer_referral(
                actor=world.police, referral=referral, accept=False, reasons="不构成犯罪"
            )
        assert answered[-1].answer == ReferralState.DECLINED
        with time_machine.travel(T0 + dt.timedelta(days=5), tick=False):
            referral = services.request_reconsideration(
                actor=world.officer, referral=referral, reasons="检验报告证明为假药"
            )
            referral = services.decide_reconsideration(
                actor=world.police_head, referral=referral, accept=False, reasons="维持"
            )
            referral = services.request_supervision(
                actor=world.officer, referral=referral, procuratorate="城关区人民检察院",
                note="请求立案监督",
            )  # fmt: skip
        assert referral.state == ReferralState.SUPERVISION
    finally:
        unsubscribe(ReferralMade, made.append)
        unsubscribe(ReferralAnswered, answered.append)
    actions = list(
        AuditEvent.objects.filter(object_id=str(referral.public_id)).values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "referrals.referral_reported",
        "referrals.referral_decide",
        "referrals.referral_transfer",
        "referrals.referral_receipt",
        "referrals.referral_answer",
        "referrals.referral_request_reconsideration",
        "referrals.referral_decide_reconsideration",
        "referrals.referral_request_supervision",
    ]


def _transferred(world):
    referral = _report(world)
    referral = services.decide_referral(
        actor=world.head, referral=referral, approve=True, police_department=world.police_department
    )
    return services.transfer_referral(actor=world.officer, referral=referral)


def test_reconsideration_must_be_asked_within_three_days(world):
    with time_machine.travel(T0, tick=False):
        referral = _transferred(world)
        referral = services.receive_referral(actor=world.police, referral=referral)
        referral = services.answer_referral(
            actor=world.police, referral=referral, accept=False, reasons="不构成犯罪"
        )
    with time_machine.travel(T0 + dt.timedelta(days=4), tick=False), pytest.raises(ValidationError):
        services.request_reconsideration(actor=world.officer, referral=referral, reasons="r")
    referral.refresh_from_db()
    assert referral.state == ReferralState.DECLINED


def test_complex_cases_give_the_police_ten_days_and_major_ones_need_approval(world):
    with time_machine.travel(T0, tick=False):
        referral = _transferred(world)
        with pytest.raises(ValidationError):
            services.receive_referral(actor=world.police, referral=referral, complexity="major")
        referral = services.receive_referral(
            actor=world.police, referral=referral, complexity="complex"
        )
    review = next(c for c in clocks.referral_clocks(referral) if c.key == "police_review")
    assert review.due_at.date() == dt.date(2026, 3, 12)


def test_other_police_departments_and_the_agency_cannot_answer(world):
    with time_machine.travel(T0, tick=False):
        referral = _transferred(world)
    for actor in (world.other_police, world.officer):
        with pytest.raises(PermissionDenied):
            services.receive_referral(actor=actor, referral=referral)
    referral.refresh_from_db()
    assert referral.state == ReferralState.TRANSFERRED


def test_police_forward_to_the_competent_department(world):
    other_department = world.other_police.memberships.get().department
    with time_machine.travel(T0, tick=False):
        referral = _transferred(world)
        referral = services.receive_referral(actor=world.police, referral=referral)
        referral = services.forward_referral(
            actor=world.police, referral=referral, to_department=other_department, reasons="管辖"
        )
    assert referral.police_department == other_department
    assert referral.forwarded_from == world.police_department
    assert referral.state == ReferralState.TRANSFERRED
    services.receive_referral(actor=world.other_police, referral=referral)


def test_illegal_steps_are_refused(world):
    referral = _report(world)

    with pytest.raises(ValidationError):
        services.transfer_referral(actor=world.officer, referral=referral)
    with pytest.raises(ValidationError):
        services.hand_over(actor=world.officer, referral=referral, note="x")


def test_refusal_is_recorded_with_reasons(world):
    referral = _report(world)

    referral = services.decide_referral(
        actor=world.head, referral=referral, approve=False, reasons="证据不足"
    )

    assert referral.state == ReferralState.REFUSED
    assert referral.decision_reasons == "证据不足"
    assert [c.key for c in clocks.referral_clocks(referral)] == ["decide"]


def test_a_period_ending_on_a_holiday_rolls_to_the_next_working_day(world):
    # reported 2026-09-28 (Mon): 3 days end 2026-10-01, National Day → first working day after
    with time_machine.travel(dt.datetime(2026, 9, 28, 2, 0, tzinfo=dt.UTC), tick=False):
        referral = _report(world)
    due = clocks.referral_clocks(referral)[0].due_at
    assert due.date() > dt.date(2026, 10, 7)


def test_the_referral_letter_carries_the_address_and_legal_basis_the_case_holds(world):
    import io

    from pypdf import PdfReader

    from yaojian.enforcement.models import Decision
    from yaojian.registry.tests.factories import EntityFactory

    entity = EntityFactory(address="城关区北京中路88号", registered_by=world.department)
    world.case.entity = entity
    world.case.save(update_fields=["entity"])
    Decision.objects.create(
        case=world.case,
        department=world.department,
        violation="销售假药",
        legal_basis="《中华人民共和国药品管理法》第一百一十六条",
    )
    with time_machine.travel(T0, tick=False):
        referral = _report(world)
        referral = services.decide_referral(
            actor=world.head,
            referral=referral,
            approve=True,
            police_department=world.police_department,
        )
        referral = services.transfer_referral(actor=world.officer, referral=referral)

    letter = Document.objects.get(public_id=str(referral.letter_document_id))
    with letter.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "".join("".join(p.extract_text().replace("\x00", "").split()) for p in reader.pages)
    assert "住所（住址）城关区北京中路88号" in text
    assert "法律依据：《中华人民共和国药品管理法》第一百一十六条" in text

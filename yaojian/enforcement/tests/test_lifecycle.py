"""The whole procedure through the services, and every illegal step refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.audit.models import AuditEvent
from yaojian.enforcement import services
from yaojian.enforcement.choices import (
    ALLOWED_TRANSITIONS,
    CaseStage,
    ClockKind,
    DecisionState,
    DefenceKind,
    PenaltyKind,
    ReviewConclusion,
)
from yaojian.enforcement.events import CaseDecided, CaseFiled, LicenceRevoked
from yaojian.enforcement.models import Case, CaseClock, CaseDocument
from yaojian.enforcement.services import ItemInput
from yaojian.enforcement.tests.conftest import filed_case, new_clue
from yaojian.registry.choices import LicenceStatus

pytestmark = pytest.mark.django_db


def test_clue_starts_the_verification_clock(office: Any, frozen: Any) -> None:
    case = new_clue(office)

    clock = case.clocks.get()
    assert case.stage == CaseStage.CLUE
    assert case.number == "SAMR-540102-2026-00001"
    assert clock.kind == ClockKind.VERIFICATION
    # 15 working days after Wed 2026-03-04 (start day excluded): Wed 2026-03-25.
    assert clock.due_on == dt.date(2026, 3, 25)
    assert Case.objects.get(pk=case.pk).next_due_on == dt.date(2026, 3, 25)
    assert AuditEvent.objects.filter(action="enforcement.clue_recorded").count() == 1


def test_clue_refused_for_leader_and_nothing_written(office: Any, frozen: Any) -> None:
    with pytest.raises(PermissionDenied):
        new_clue(office, actor=office.leader)
    assert Case.objects.count() == 0


def test_filing_needs_two_credentialed_officers(office: Any, frozen: Any) -> None:
    case = new_clue(office)
    services.begin_verification(actor=office.officer, case=case)

    with pytest.raises(ValidationError) as excinfo:
        services.file_case(actor=office.head, case=case)

    assert "officers" in excinfo.value.message_dict
    assert Case.objects.get(pk=case.pk).stage == CaseStage.VERIFICATION


def test_officer_cannot_file(office: Any, frozen: Any) -> None:
    case = new_clue(office)
    with pytest.raises(PermissionDenied):
        services.file_case(
            actor=office.officer, case=case, officers=[office.officer, office.officer2]
        )


def test_filing_publishes_case_filed_after_commit(
    office: Any, frozen: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from yaojian.core.events import subscribe, unsubscribe

    seen: list[Any] = []
    subscribe(CaseFiled, seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            case = filed_case(office)
    finally:
        unsubscribe(CaseFiled, seen.append)

    assert [e.case_public_id for e in seen] == [case.public_id]
    decision_clock = case.clocks.get(kind=ClockKind.DECISION)
    # 90 calendar days after 2026-03-04 = 2026-06-02 (a Tuesday, a working day).
    assert decision_clock.due_on == dt.date(2026, 6, 2)
    # Tests not about documents render none (``with_documents`` turns rendering on).
    assert not case.documents.exists()


def test_decline_needs_a_reason(clue: Any, office: Any) -> None:
    with pytest.raises(ValidationError):
        services.decline_case(actor=office.head, case=clue, reason=" ")
    case = services.decline_case(actor=office.head, case=clue, reason="情节轻微并及时改正")
    assert case.stage == CaseStage.NOT_FILED
    assert case.clocks.get().state == "stopped"


@pytest.mark.parametrize(
    ("stage", "target"),
    [
        (stage, target)
        for stage in CaseStage.values
        for target in CaseStage.values
        if target not in ALLOWED_TRANSITIONS[stage]
    ][:40],
)
def test_illegal_transitions_refused(stage: str, target: str) -> None:
    from yaojian.enforcement.services.common import check_transition

    with pytest.raises(ValidationError) as excinfo:
        check_transition(Case(stage=stage), target)
    assert excinfo.value.code == "invalid_transition"


def test_cannot_submit_for_review_without_evidence(office: Any, frozen: Any) -> None:
    case = filed_case(office)
    with pytest.raises(ValidationError) as excinfo:
        services.submit_for_review(actor=office.officer, case=case)
    assert excinfo.value.error_dict["__all__"][0].code == "no_evidence"


def _to_review(office: Any, case: Any, items: list[ItemInput]) -> Any:
    services.add_evidence(actor=office.officer, case=case, kind="physical", description="劣药20盒")
    services.propose_penalty(
        actor=office.officer,
        case=case,
        violation="销售劣药",
        legal_basis="药品管理法第117条",
        items=items,
    )
    return services.submit_for_review(actor=office.officer, case=case)


def test_case_officer_cannot_review_own_case(office: Any, frozen: Any) -> None:
    case = filed_case(office, actor=office.officer)
    case.is_major = True
    Case.objects.filter(pk=case.pk).update(is_major=True)
    _to_review(office, case, [ItemInput(kind=PenaltyKind.WARNING)])
    with pytest.raises(PermissionDenied):
        services.review_case(actor=office.officer, case=case, opinion="同意", conclusion="approve")


def test_full_lifecycle_with_hearing_fine_and_revocation(
    office: Any, frozen: Any, django_capture_on_commit_callbacks: Any, with_documents: None
) -> None:
    from yaojian.core.events import subscribe, unsubscribe

    decided: list[Any] = []
    revoked: list[Any] = []
    subscribe(CaseDecided, decided.append)
    subscribe(LicenceRevoked, revoked.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            case = filed_case(office)
            _to_review(
                office,
                case,
                [
                    ItemInput(
                        kind=PenaltyKind.FINE,
                        amount="150000",
                        conduct="substandard",
                        goods_value="10000",
                        retail=True,
                    ),
                    ItemInput(kind=PenaltyKind.REVOKE_LICENCE, licence=office.licence.public_id),
                ],
            )
            services.review_case(
                actor=office.reviewer,
                case=case,
                opinion="事实清楚",
                conclusion=ReviewConclusion.APPROVE,
            )
            services.issue_notice(actor=office.officer, case=case)
            assert case.clocks.filter(kind=ClockKind.HEARING_REQUEST, state="running").count() == 1
            services.record_defence(
                actor=office.officer,
                case=case,
                kind=DefenceKind.STATEMENT,
                text="要求听证",
                hearing_requested=True,
            )
            case.refresh_from_db()
            assert case.stage == CaseStage.HEARING
            assert case.clocks.get(kind=ClockKind.DECISION).state == "paused"
            frozen.move_to(dt.datetime(2026, 3, 5, 1, tzinfo=dt.UTC))
            services.appoint_presiding_officer(
                actor=office.head, case=case, presiding_officer=office.leader
            )
            services.hand_over_file(actor=office.officer, case=case)
            with pytest.raises(ValidationError):
                services.schedule_hearing(
                    actor=office.officer, case=case, scheduled_for="2026-03-10", place="听证室"
                )
            services.schedule_hearing(
                actor=office.officer, case=case, scheduled_for="2026-03-16", place="听证室"
            )
            frozen.move_to(dt.datetime(2026, 3, 16, 1, tzinfo=dt.UTC))
            services.record_hearing_held(actor=office.officer, case=case)
            services.submit_hearing_report(actor=office.officer, case=case, report="维持原处罚意见")
            decision_clock = case.clocks.get(kind=ClockKind.DECISION)
            # Paused 2026-03-04 → 2026-03-16 (12 calendar days excluded): 2026-06-14 is a
            # Sunday, so the period ends on Monday 2026-06-15.
            assert decision_clock.state == "running"
            assert decision_clock.due_on == dt.date(2026, 6, 15)
            decision = services.decide_case(actor=office.head, case=case)
    finally:
        unsubscribe(CaseDecided, decided.append)
        unsubscribe(LicenceRevoked, revoked.append)

    office.licence.refresh_from_db()
    assert office.licence.status == LicenceStatus.REVOKED
    assert decision.state == DecisionState.EFFECTIVE
    assert decision.number == "城关区市场监督管理局罚〔2026〕1号"
    assert [e.decision_id for e in decided] == [decision.pk]
    assert decided[0].publication.fine_amount == Decimal("150000.00")
    assert [e.licence_id for e in revoked] == [office.licence.pk]
    documents = CaseDocument.objects.filter(case=case)
    assert set(documents.values_list("kind", flat=True)) == {
        "case_filing_approval",
        "penalty_notice",
        "penalty_decision",
    }
    assert all(len(d.sha256) == 64 and d.document_public_id for d in documents)

    services.serve_decision(actor=office.officer, case=case)
    decision.refresh_from_db()
    # Served Mon 2026-03-16; 15 days → Tue 2026-03-31.
    assert decision.payment_due_on == dt.date(2026, 3, 31)
    frozen.move_to(dt.datetime(2026, 4, 2, 1, tzinfo=dt.UTC))
    payment = services.record_payment(actor=office.officer, decision=decision, amount="159000")
    assert payment.late_fee == Decimal("9000.00")  # 2 days × 3 % × 150,000
    assert case.clocks.get(kind=ClockKind.CLOSURE).state == "running"
    with pytest.raises(PermissionDenied):
        services.close_case(actor=office.officer, case=case)
    case = services.close_case(actor=office.head, case=case, note="执行完毕")
    assert case.stage == CaseStage.CLOSED
    assert not CaseClock.objects.filter(case=case).exclude(state="stopped").exists()


def test_fine_outside_the_legal_range_refused(office: Any, frozen: Any) -> None:
    case = filed_case(office)
    with pytest.raises(ValidationError) as excinfo:
        services.propose_penalty(
            actor=office.officer,
            case=case,
            violation="销售劣药",
            legal_basis="药品管理法第117条",
            items=[
                ItemInput(
                    kind=PenaltyKind.FINE, amount="5000", conduct="substandard", goods_value="10000"
                )
            ],
        )
    assert excinfo.value.error_dict["items"][0].code == "fine_out_of_range"
    assert not case.decisions.exists()

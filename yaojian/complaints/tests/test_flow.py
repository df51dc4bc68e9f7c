"""From report to case and back: the outcome flows to the report, the reward is proposed,
approved, claimed with the query code and paid; refusals show their ground."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.complaints import services
from yaojian.complaints.choices import Kind, OutcomeKind, RefusalGround, RewardState, State, Topic
from yaojian.complaints.events import ComplaintSubstantiated
from yaojian.complaints.models import Complaint, Reward
from yaojian.complaints.tests.conftest import receive, report_to_closed_case
from yaojian.core.events import subscribe, unsubscribe
from yaojian.enforcement.choices import CaseStage, ClueSource


def test_report_becomes_a_clue_linked_both_ways(world: Any) -> None:
    complaint = receive().complaint
    complaint = services.make_clue(actor=world.officer, complaint=complaint)
    case = complaint.case
    assert complaint.state == State.CLUE
    assert case.source == ClueSource.COMPLAINT
    assert case.source_reference == complaint.number
    assert case.department == world.county
    assert list(Complaint.objects.filter(case=case)) == [complaint]
    assert "王秘密" not in case.facts
    assert "139" not in case.facts


def test_case_outcome_flows_back_and_the_reward_is_paid(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    substantiated: list[Any] = []
    subscribe(ComplaintSubstantiated, substantiated.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            complaint, code = report_to_closed_case(world)
    finally:
        unsubscribe(ComplaintSubstantiated, substantiated.append)
    complaint.refresh_from_db()
    assert complaint.state == State.CLOSED
    assert complaint.outcome_kind == OutcomeKind.SUBSTANTIATED
    assert complaint.penalty_amount == Decimal("200000.00")
    assert "200000" in complaint.outcome or "20" in complaint.outcome
    assert complaint.opening_decided_on is not None
    assert [e.number for e in substantiated] == [complaint.number]
    reward = services.propose_reward(actor=world.officer, complaint=complaint, tier="1")
    assert reward.amount == Decimal("10000.00")
    with pytest.raises(PermissionDenied):
        services.decide_reward(actor=world.officer, reward=reward, approve=True)
    reward = services.decide_reward(actor=world.head, reward=reward, approve=True)
    found = services.find_for_tracking(complaint.number, code, client_address="1.2.3.4")
    assert found == complaint
    reward = services.claim_reward(complaint=found, payee_account="6222 0000 1111 2222")
    assert reward.state == RewardState.CLAIMED
    reward = services.record_reward_payment(actor=world.officer, reward=reward, reference="付款-1")
    assert reward.state == RewardState.PAID


def test_large_reward_needs_the_finance_approval(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complaint, _code = report_to_closed_case(world, amount="2000000")
    complaint.refresh_from_db()
    complaint.penalty_amount = Decimal("12000000")  # with confiscations, for the threshold
    complaint.save(update_fields=["penalty_amount"])
    reward = services.propose_reward(actor=world.officer, complaint=complaint, tier="1")
    assert reward.needs_finance_approval
    with pytest.raises(ValidationError) as info:
        services.decide_reward(actor=world.head, reward=reward, approve=True)
    assert "finance_reference" in info.value.message_dict
    reward.refresh_from_db()
    assert reward.state == RewardState.PROPOSED
    reward = services.decide_reward(
        actor=world.head, reward=reward, approve=True, finance_reference="财审〔2026〕3号"
    )
    assert reward.state == RewardState.APPROVED


def test_reward_only_for_decided_reports(world: Any) -> None:
    complaint = receive().complaint
    with pytest.raises(ValidationError):
        services.propose_reward(actor=world.officer, complaint=complaint, tier="1")
    assert not Reward.objects.exists()


def test_clue_declined_in_enforcement_closes_the_report(world: Any) -> None:
    from yaojian.enforcement import services as enforcement

    complaint = services.make_clue(actor=world.officer, complaint=receive().complaint)
    enforcement.decline_case(actor=world.head, case=complaint.case, reason="违法事实不成立")
    assert services.sync_cases_not_filed() == 1
    complaint.refresh_from_db()
    assert complaint.state == State.NOT_OPENED
    assert complaint.outcome == "违法事实不成立"
    assert complaint.case.stage == CaseStage.NOT_FILED


def test_complaint_refused_out_of_remit_shows_the_ground(world: Any) -> None:
    receipt = receive(kind=Kind.COMPLAINT, topic=Topic.PRICE_SERVICE)
    complaint = services.refuse_complaint(
        actor=world.officer,
        complaint=receipt.complaint,
        ground=RefusalGround.OUTSIDE_REMIT,
        reasons="价格争议请向发展改革部门反映。",
    )
    assert complaint.state == State.REFUSED
    assert complaint.outcome.endswith("价格争议请向发展改革部门反映。")
    assert complaint.closed_on is not None


def test_refusal_needs_a_ground_and_reasons_and_nothing_is_written(world: Any) -> None:
    complaint = receive(kind=Kind.COMPLAINT, topic=Topic.PRICE_SERVICE).complaint
    steps = complaint.steps.count()
    with pytest.raises(ValidationError) as info:
        services.refuse_complaint(actor=world.officer, complaint=complaint, ground="", reasons="")
    assert set(info.value.message_dict) == {"ground", "reasons"}
    complaint.refresh_from_db()
    assert complaint.state == State.RECEIVED
    assert complaint.steps.count() == steps


def test_state_table_refuses_impossible_steps(world: Any) -> None:
    report = receive().complaint
    with pytest.raises(ValidationError):
        services.accept_complaint(actor=world.officer, complaint=report)
    complaint = receive(kind=Kind.COMPLAINT, topic=Topic.PRICE_SERVICE, summary="别的").complaint
    with pytest.raises(ValidationError):
        services.make_clue(actor=world.officer, complaint=complaint)


def test_publish_outcome_masks_long_numbers(world: Any) -> None:
    complaint = services.close_without_case(
        actor=world.officer, complaint=receive().complaint, reasons="无违法"
    )
    complaint = services.publish_outcome(
        actor=world.head, complaint=complaint, summary="举报人电话13912345678反映的问题经查不实。"
    )
    assert complaint.public_summary == "举报人电话139********反映的问题经查不实。"
    assert Complaint.objects.filter(publish_outcome=True).count() == 1


@pytest.mark.parametrize("change", ["revoked", "changed"])
def test_a_changed_decision_withdraws_the_reward_until_the_final_penalty(
    world: Any, django_capture_on_commit_callbacks: Any, change: str
) -> None:
    from yaojian.audit.models import AuditEvent
    from yaojian.enforcement import services as enforcement
    from yaojian.enforcement.models import Decision

    with django_capture_on_commit_callbacks(execute=True):
        complaint, code = report_to_closed_case(world)
    complaint.refresh_from_db()
    reward = services.propose_reward(actor=world.officer, complaint=complaint, tier="1")
    reward = services.decide_reward(actor=world.head, reward=reward, approve=True)
    decision = Decision.objects.get(case=complaint.case)
    with django_capture_on_commit_callbacks(execute=True):
        enforcement.change_decision(
            actor=world.head, decision=decision, change=change, reason="行政复议决定变更"
        )
    complaint.refresh_from_db()
    reward.refresh_from_db()
    assert complaint.penalty_amount is None
    assert complaint.state == State.CLOSED
    assert "2026" in complaint.outcome.splitlines()[-1]
    assert reward.state == RewardState.REJECTED
    assert AuditEvent.objects.filter(action="complaints.complaint_penalty_changed").count() == 1
    services.penalty_changed(complaint=complaint, change=change, changed_on=complaint.received_on)
    assert AuditEvent.objects.filter(action="complaints.complaint_penalty_changed").count() == 1
    with pytest.raises(ValidationError):  # no reward on the superseded penalty
        services.propose_reward(actor=world.officer, complaint=complaint, tier="1")
    found = services.find_for_tracking(complaint.number, code, client_address="1.2.3.4")
    assert found is not None
    public_notes = [s.note for s in found.steps.filter(is_public=True)]
    assert any("withdrawn" in n or "撤回" in n or "waits" in n for n in public_notes)
    # a new decision gives the final penalty; the report follows it (state kept)
    services.case_decided(
        complaint=complaint, summary="罚款十万元", amount=Decimal("100000"), decided_on=None
    )
    complaint.refresh_from_db()
    assert complaint.penalty_amount == Decimal("100000")
    assert complaint.state == State.CLOSED


def test_too_late_ground_needs_the_configured_years(world: Any, settings: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    recent = receive(
        kind=Kind.COMPLAINT,
        topic=Topic.PRICE_SERVICE,
        occurred_on=today - dt.timedelta(days=400),
    ).complaint
    with pytest.raises(ValidationError) as info:
        services.refuse_complaint(
            actor=world.officer, complaint=recent, ground=RefusalGround.TOO_LATE, reasons="超过期限"
        )
    assert "ground" in info.value.message_dict
    settings.COMPLAINTS = {"refusal_years": 1}  # the 2026 rules may change the period
    refused = services.refuse_complaint(
        actor=world.officer, complaint=recent, ground=RefusalGround.TOO_LATE, reasons="超过期限"
    )
    assert refused.state == State.REFUSED

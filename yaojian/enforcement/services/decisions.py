"""Writes from the proposed penalty to the closure: notice, defence, decision, service,
payment, closure; changing or revoking a decision; a participant's own decision."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.core.events import publish
from yaojian.enforcement import access, permissions
from yaojian.enforcement.choices import (
    CaseDocumentKind,
    CaseStage,
    ClockKind,
    DecisionState,
    DefenceKind,
    PenaltyKind,
)
from yaojian.enforcement.clocks import late_fee
from yaojian.enforcement.events import CaseClosed, CaseDecided, DecisionChanged, LicenceRevoked
from yaojian.enforcement.models import Case, Decision, Defence, Payment
from yaojian.enforcement.services.clocks import active_clock, start_clock, stop_clocks
from yaojian.enforcement.services.common import (
    clean_day,
    lock_case,
    log_step,
    move,
    require,
    require_stage,
    required_text,
    today,
)
from yaojian.enforcement.services.investigation import latest_review_approved
from yaojian.enforcement.services.outbound import emit_webhook, generate_document
from yaojian.enforcement.services.penalties import (
    ItemInput,
    assign_number,
    build_items,
    describe,
    hearing_in_scope,
    publication_for,
    total,
)
from yaojian.registry.choices import LicenceStatus
from yaojian.registry.services import transition_licence


def proposed_decision(case: Case) -> Decision | None:
    return (
        case.decisions.filter(department=case.department, state=DecisionState.PROPOSED)
        .order_by("-id")
        .first()
    )


@transaction.atomic
def propose_penalty(
    *, actor: Any, case: Case, violation: str, legal_basis: str, items: list[ItemInput]
) -> Decision:
    """The officers' proposed decision (replacing an earlier proposal); no items = no penalty."""
    case = lock_case(actor, case, "change")
    require_stage(case, CaseStage.INVESTIGATION)
    violation = required_text(violation, "violation", _("Describe the facts of the violation."))
    legal_basis = required_text(legal_basis, "legal_basis", _("Cite the legal basis."))
    built = build_items(case, case.department, items)
    case.decisions.filter(department=case.department, state=DecisionState.PROPOSED).delete()
    decision = Decision.objects.create(
        case=case, department=case.department, violation=violation, legal_basis=legal_basis
    )
    for item in built:
        item.decision = decision
        item.save()
    log_step(
        case=case,
        actor=actor,
        action="penalty_proposed",
        obj=decision,
        changes={"items": [describe(i) for i in built]},
    )
    return decision


@transaction.atomic
def issue_notice(*, actor: Any, case: Case, notified_on: Any = None) -> Case:
    """Serve the notice of the proposed penalty (告知, 第57条): defence clock 5 wd; a hearing
    request clock when the penalty is in the hearing scope; the 行政处罚告知书 is rendered."""
    case = lock_case(actor, case, "change")
    require_stage(case, CaseStage.REVIEW)
    require(
        latest_review_approved(case), _("The review has not approved the case yet."), "not_reviewed"
    )
    decision = proposed_decision(case)
    require(
        decision is not None and decision.items.exists(),
        _("There is no proposed penalty to notify."),
        "no_penalty",
    )
    assert decision is not None  # noqa: S101 (narrowing after require)
    on = clean_day(notified_on, "notified_on")
    items = list(decision.items.all())
    hearing = hearing_in_scope(case, items)
    move(case, CaseStage.NOTICE, actor=actor, action="notice_issued")
    defence = start_clock(case=case, kind=ClockKind.DEFENCE, started_on=on)
    if hearing:
        start_clock(case=case, kind=ClockKind.HEARING_REQUEST, started_on=on)
    generate_document(
        actor=actor,
        case=case,
        kind=CaseDocumentKind.PENALTY_NOTICE,
        title=str(_("Notice of proposed penalty %(number)s") % {"number": case.number}),
        context={
            "number": case.number,
            "department_name": case.department.name,
            "party_name": case.party_name,
            "party_credit_code": case.party_credit_code,
            "party_address": case.entity.address if case.entity else "",
            "legal_representative": case.legal_representative,
            "facts": decision.violation,
            "evidence_summary": "；".join(e.description for e in case.evidence.all()[:10]),
            "legal_basis": decision.legal_basis,
            "penalties": [describe(i) for i in items],
            "fine_amount": total(items, PenaltyKind.FINE) or "",
            "hearing_right": hearing,
            "statement_deadline": defence.due_on,
            "notified_on": on,
        },
    )
    return case


@transaction.atomic
def record_defence(
    *,
    actor: Any,
    case: Case,
    kind: str,
    text: str = "",
    received_on: Any = None,
    hearing_requested: bool = False,
) -> Defence:
    """The party's statement, waiver, or silence after 5 wd (= waiver, 第58条); a hearing
    request within 5 wd moves the case to the hearing and pauses the decision clock."""
    case = lock_case(actor, case, "change")
    require_stage(case, CaseStage.NOTICE)
    require(kind in DefenceKind.values, _("Choose what the party did."), "invalid_choice", "kind")
    on = clean_day(received_on, "received_on")
    clock = active_clock(case, ClockKind.DEFENCE)
    require(clock is not None, _("The defence has already been recorded."), "recorded")
    assert clock is not None  # noqa: S101 (narrowing after require)
    if kind == DefenceKind.SILENCE:
        require(
            today() > clock.due_on,
            _("Silence counts as a waiver only after the period ends on %(date)s."),
            "period_running",
            date=clock.due_on,
        )
        hearing_requested = False
    if kind == DefenceKind.STATEMENT:
        text = required_text(text, "text", _("Record what the party stated."))
    request_clock = active_clock(case, ClockKind.HEARING_REQUEST)
    if hearing_requested:
        require(
            request_clock is not None,
            _("The proposed penalty gives no right to a hearing."),
            "no_hearing_right",
            "hearing_requested",
        )
        assert request_clock is not None  # noqa: S101 (narrowing after require)
        require(
            on <= request_clock.due_on,
            _("The hearing was requested after the period ended on %(date)s."),
            "hearing_too_late",
            "hearing_requested",
            date=request_clock.due_on,
        )
    defence = Defence.objects.create(
        case=case,
        kind=kind,
        text=text,
        received_on=on,
        hearing_requested=bool(hearing_requested),
        recorded_by=actor,
    )
    stop_clocks(case, {ClockKind.DEFENCE, ClockKind.HEARING_REQUEST}, on)
    log_step(case=case, actor=actor, action="defence_recorded", obj=defence, changes={"kind": kind})
    if hearing_requested:
        from yaojian.enforcement.services.hearings import open_hearing

        open_hearing(actor=actor, case=case, requested_on=on)
    return defence


def _apply_licence_effects(actor: Any, case: Case, decision: Decision) -> list[Any]:
    """Revocations and agreement changes take effect through the registry's services."""
    revoked = []
    targets: dict[str, str] = {
        PenaltyKind.REVOKE_LICENCE: LicenceStatus.REVOKED,
        PenaltyKind.AGREEMENT_TERMINATION: LicenceStatus.REVOKED,
        PenaltyKind.AGREEMENT_SUSPENSION: LicenceStatus.SUSPENDED,
    }
    for item in decision.items.select_related("licence"):
        if item.kind not in targets or item.licence is None:
            continue
        to_status = targets[item.kind]
        if item.licence.status == to_status:
            continue
        licence = transition_licence(
            actor=actor,
            licence=item.licence,
            to_status=to_status,
            reason=str(_("Decision %(number)s") % {"number": decision.number}),
        )
        if to_status == LicenceStatus.REVOKED:
            revoked.append(licence)
    return revoked


def _take_effect(actor: Any, case: Case, decision: Decision, on: Any, is_collective: bool) -> None:
    decision.state = DecisionState.EFFECTIVE
    decision.decided_on = on
    decision.decided_by = actor
    decision.is_collective = bool(is_collective)
    assign_number(decision, on)
    decision.save()
    revoked = _apply_licence_effects(actor, case, decision)
    participants = tuple(case.participants.values_list("department_id", flat=True))
    items = list(decision.items.all())
    publication = publication_for(case, decision) if items else None
    publish(
        CaseDecided(
            case_id=case.pk,
            case_public_id=case.public_id,
            number=case.number,
            department_id=decision.department_id,
            region_code=case.region_id,
            entity_id=case.entity_id,
            decision_id=decision.pk,
            publication=publication,
            participant_department_ids=participants,
            actor_id=getattr(actor, "pk", None),
        )
    )
    emit_webhook(
        "case.decided",
        case,
        {"decision": str(decision.public_id), "decision_number": decision.number},
        f"case.decided:{decision.public_id}",
    )
    for licence in revoked:
        publish(
            LicenceRevoked(
                case_id=case.pk,
                case_public_id=case.public_id,
                licence_id=licence.pk,
                entity_id=licence.entity_id,
                department_id=decision.department_id,
                region_code=case.region_id,
                licence_kind=licence.kind,
                actor_id=getattr(actor, "pk", None),
            )
        )
        emit_webhook(
            "licence.revoked",
            case,
            {"licence": str(licence.public_id), "licence_number": licence.number},
            f"licence.revoked:{licence.public_id}",
        )
    log_step(
        case=case,
        actor=actor,
        action="decision_taken",
        obj=decision,
        department=decision.department,
        changes={"number": decision.number, "items": [describe(i) for i in items]},
    )


@transaction.atomic
def decide_case(
    *, actor: Any, case: Case, decided_on: Any = None, is_collective: bool = False
) -> Decision:
    """The head's decision (第60–64条); a major case needs a collective decision.

    The proposed decision takes effect with its 文书号; licence revocations go through the
    registry; the 行政处罚决定书 is rendered; the service clock (7 wd) starts.
    """
    case = lock_case(actor, case, "approve")
    require_stage(case, CaseStage.NOTICE, CaseStage.HEARING, CaseStage.REVIEW)
    decision = proposed_decision(case)
    require(decision is not None, _("There is no proposed decision."), "no_proposal")
    assert decision is not None  # noqa: S101 (narrowing after require)
    if case.stage == CaseStage.REVIEW:
        require(
            latest_review_approved(case) and not decision.items.exists(),
            _("A penalty can be decided only after the notice and the party's defence."),
            "notice_required",
        )
    if case.stage == CaseStage.NOTICE:
        require(
            active_clock(case, ClockKind.DEFENCE) is None,
            _("Wait for the party's defence, its waiver or the end of the period."),
            "defence_pending",
        )
    if case.stage == CaseStage.HEARING:
        require(
            bool(getattr(getattr(case, "hearing", None), "report", "")),
            _("The hearing report is missing."),
            "hearing_report_missing",
        )
    if case.is_major:
        require(
            bool(is_collective),
            _("A major case is decided collectively by the heads (第60条)."),
            "collective_required",
            "is_collective",
        )
    on = clean_day(decided_on, "decided_on")
    move(case, CaseStage.DECIDED, actor=actor, action="case_decided", decided_on=on)
    stop_clocks(case, {ClockKind.DECISION}, on)
    _take_effect(actor, case, decision, on, is_collective)
    items = list(decision.items.all())
    generate_document(
        actor=actor,
        case=case,
        kind=CaseDocumentKind.PENALTY_DECISION,
        title=str(_("Penalty decision %(number)s") % {"number": decision.number}),
        shared=True,
        context={
            "number": decision.number,
            "department_name": decision.department.name,
            "party_name": case.party_name,
            "party_credit_code": case.party_credit_code,
            "party_address": case.entity.address if case.entity else "",
            "legal_representative": case.legal_representative,
            "facts": decision.violation,
            "evidence_summary": "；".join(e.description for e in case.evidence.all()[:10]),
            "statement": "；".join(d.text for d in case.defences.all() if d.text),
            "legal_basis": decision.legal_basis,
            "penalties": [describe(i) for i in items],
            "fine_amount": total(items, PenaltyKind.FINE) or "",
            "decided_on": on,
        },
    )
    start_clock(case=case, kind=ClockKind.SERVICE, started_on=on)
    return decision


@transaction.atomic
def serve_decision(*, actor: Any, case: Case, served_on: Any = None) -> Case:
    """The decision was served (送达, 7 wd): payment clock (15 days) for a fine, else closure."""
    case = lock_case(actor, case, "change")
    require_stage(case, CaseStage.DECIDED)
    on = clean_day(served_on, "served_on")
    require(
        on >= (case.decided_on or on),
        _("A decision cannot be served before it was taken."),
        "invalid",
        "served_on",
    )
    stop_clocks(case, {ClockKind.SERVICE}, on)
    move(case, CaseStage.EXECUTION, actor=actor, action="decision_served", served_on=on)
    decision = (
        case.decisions.filter(department=case.department, state=DecisionState.EFFECTIVE)
        .order_by("-id")
        .first()
    )
    fine = total(decision.items.all(), PenaltyKind.FINE) if decision else 0
    if decision is not None and fine:
        clock = start_clock(case=case, kind=ClockKind.PAYMENT, started_on=on)
        decision.payment_due_on = clock.due_on
        decision.save(update_fields=["payment_due_on", "updated_at"])
    else:
        start_clock(case=case, kind=ClockKind.CLOSURE, started_on=on)
    return case


@transaction.atomic
def record_payment(*, actor: Any, decision: Decision, amount: Any, paid_on: Any = None) -> Payment:
    """A payment of the fine; the late fee (3 %/day, capped at the fine) is computed.

    When fine and late fee are paid in full the payment clock stops and the closure clock
    (15 wd, 第77条) starts.
    """
    from decimal import Decimal, InvalidOperation

    case = lock_case(actor, decision.case, "change")
    require_stage(case, CaseStage.EXECUTION)
    decision = Decision.objects.select_for_update(no_key=True).get(pk=decision.pk, case=case)
    require(
        decision.state == DecisionState.EFFECTIVE,
        _("This decision is not in effect."),
        "not_effective",
    )
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        value = Decimal(0)
    require(
        value.is_finite() and value > 0, _("Enter the amount paid."), "invalid_amount", "amount"
    )
    on = clean_day(paid_on, "paid_on")
    fine = total(decision.items.all(), PenaltyKind.FINE)
    due = decision.payment_due_on or on
    fee = late_fee(fine, due, on) if fine else Decimal(0)
    payment = Payment.objects.create(
        decision=decision, amount=value, late_fee=fee, paid_on=on, recorded_by=actor
    )
    paid = sum((p.amount for p in decision.payments.all()), Decimal(0))
    if paid >= fine + fee:
        stop_clocks(case, {ClockKind.PAYMENT}, on)
        if active_clock(case, ClockKind.CLOSURE) is None:
            start_clock(case=case, kind=ClockKind.CLOSURE, started_on=on)
    log_step(
        case=case,
        actor=actor,
        action="payment_recorded",
        obj=payment,
        changes={"amount": str(value), "late_fee": str(fee)},
    )
    return payment


@transaction.atomic
def close_case(*, actor: Any, case: Case, note: str = "", closed_on: Any = None) -> Case:
    """The head approves the closure (结案, 第77条), or drops a filed case (撤销立案, note required)."""
    case = lock_case(actor, case, "approve")
    require_stage(case, CaseStage.EXECUTION, CaseStage.INVESTIGATION)
    if case.stage == CaseStage.INVESTIGATION:
        note = required_text(note, "note", _("Give the reason for dropping the case."))
    on = clean_day(closed_on, "closed_on")
    stop_clocks(case, None, on)
    move(
        case,
        CaseStage.CLOSED,
        actor=actor,
        action="case_closed",
        note=note,
        closed_on=on,
        closing_note=note,
    )
    publish(
        CaseClosed(
            case_id=case.pk,
            case_public_id=case.public_id,
            department_id=case.department_id,
            region_code=case.region_id,
            entity_id=case.entity_id,
            participant_department_ids=tuple(
                case.participants.values_list("department_id", flat=True)
            ),
            actor_id=getattr(actor, "pk", None),
        )
    )
    return case


@transaction.atomic
def change_decision(*, actor: Any, decision: Decision, change: str, reason: str) -> Decision:
    """A decision is changed, revoked or declared void (e.g. after administrative review):
    publishes ``DecisionChanged`` so the publication is withdrawn within 3 wd."""
    case = decision.case
    if not access.acts_for(actor, permissions.APPROVE, decision.department_id):
        if not case.__class__.objects.visible_to(actor).filter(pk=case.pk).exists():
            raise Decision.DoesNotExist
        raise PermissionDenied(
            _("Only the head of the deciding department may change its decision.")
        )
    decision = (
        Decision.objects.select_for_update(no_key=True)
        .select_related("department", "case")
        .get(pk=decision.pk)
    )
    require(
        decision.state == DecisionState.EFFECTIVE,
        _("Only a decision in effect can be changed."),
        "not_effective",
    )
    require(
        change in ("changed", "revoked", "void"),
        _("Choose the change."),
        "invalid_choice",
        "change",
    )
    reason = required_text(reason, "reason", _("Give the reason for the change."))
    decision.state = DecisionState.CHANGED if change == "changed" else DecisionState.REVOKED
    decision.change_reason, decision.changed_on = reason, today()
    decision.save(update_fields=["state", "change_reason", "changed_on", "updated_at"])
    log_step(
        case=decision.case,
        actor=actor,
        action="decision_changed",
        obj=decision,
        note=reason,
        department=decision.department,
        changes={"change": change},
    )
    publish(
        DecisionChanged(
            decision_public_id=decision.public_id,
            change=change,
            changed_on=decision.changed_on,
            department_id=decision.department_id,
            case_public_id=decision.case.public_id,
            actor_id=getattr(actor, "pk", None),
        )
    )
    return decision


@transaction.atomic
def record_department_decision(
    *,
    actor: Any,
    case: Case,
    department: Department,
    violation: str,
    legal_basis: str,
    items: list[ItemInput],
    decided_on: Any = None,
) -> Decision:
    """A participating department's own decision (e.g. the insurance bureau suspends or ends
    the agreement, recovers funds); it takes effect at once, numbered by that department."""
    if not case.participants.filter(department=department).exists():
        raise Case.DoesNotExist
    if not access.acts_for(actor, permissions.APPROVE, department.pk):
        raise PermissionDenied(_("Only the head of that department may record its decision."))
    case = (
        Case.objects.select_for_update(no_key=True, of=("self",))
        .select_related("region", "entity", "department")
        .get(pk=case.pk)
    )
    require(
        case.stage
        not in (CaseStage.CLUE, CaseStage.VERIFICATION, CaseStage.NOT_FILED, CaseStage.CLOSED),
        _("Departments decide on a filed case that is still open."),
        "wrong_stage",
    )
    violation = required_text(violation, "violation", _("Describe the facts of the violation."))
    legal_basis = required_text(legal_basis, "legal_basis", _("Cite the legal basis."))
    built = build_items(case, department, items, own_department_only=True)
    require(bool(built), _("Add at least one measure."), "no_items", "items")
    on = clean_day(decided_on, "decided_on")
    decision = Decision.objects.create(
        case=case, department=department, violation=violation, legal_basis=legal_basis
    )
    for item in built:
        item.decision = decision
        item.save()
    decision.department = department
    _take_effect(actor, case, decision, on, False)
    return decision

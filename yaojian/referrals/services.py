"""Writes of referrals: the transfer report, the head's decision, the transfer, the police
answers, reconsideration, supervision and hand-over (DOMAIN.md §2.7). Every step locks the
referral, checks the state table (``choices.ACTIONS``) and the actor, appends a step and an
audit event, and publishes an event after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.models import Department, Membership
from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import record
from yaojian.core.events import publish
from yaojian.documents.choices import DocumentKind
from yaojian.documents.services import render_document
from yaojian.enforcement.models import Case
from yaojian.referrals import clocks
from yaojian.referrals.choices import ACTIONS, OPEN_STATES, PoliceComplexity, ReferralState
from yaojian.referrals.events import ReferralAnswered, ReferralMade
from yaojian.referrals.models import Referral, ReferralStep
from yaojian.referrals.permissions import ADD, ANSWER, APPROVE, CHANGE
from yaojian.referrals.selectors import police_departments_for, referral_subject
from yaojian.territory.codes import subtree_prefix


def _acts_in(actor: Any, permission: str, department_id: int | None) -> bool:
    scope = scope_for(actor)
    if scope.is_superuser:
        return True
    return department_id is not None and any(
        m.department_id == department_id for m in scope.members_with(permission)
    )


def _require(actor: Any, permission: str, department_id: int | None) -> None:
    if not _acts_in(actor, permission, department_id):
        raise PermissionDenied(_("You are not allowed to take this step on this referral."))


def _text(errors: dict[str, list[str]], field: str, value: str, message: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        errors.setdefault(field, []).append(message)
    return cleaned


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_referral(
    *, actor: Any, case: Case, suspected_crime: str, report: str, team: Iterable[Any]
) -> Referral:
    """Record the team's transfer report on ``case`` (第5条): starts the head's 3-day clock.

    The team is at least two officers of the case's lead department; one open referral per case.
    """
    _require(actor, ADD, case.department_id)
    errors: dict[str, list[str]] = {}
    crime = _text(errors, "suspected_crime", suspected_crime, _("Name the suspected crime."))
    text = _text(errors, "report", report, _("Write the transfer report."))
    members = {u.pk: u for u in team}
    valid = set(
        Membership.objects.filter(
            user_id__in=list(members), department_id=case.department_id, is_active=True
        ).values_list("user_id", flat=True)
    )
    if len(valid) < 2 or len(valid) != len(members):
        errors.setdefault("team", []).append(
            _("The team must be at least two officers of the case's department.")
        )
    if Referral.objects.filter(case=case, state__in=sorted(OPEN_STATES)).exists():
        errors.setdefault("__all__", []).append(_("This case already has an open referral."))
    _raise(errors)
    now = timezone.now()
    referral = Referral.objects.create(
        case=case,
        department_id=case.department_id,
        suspected_crime=crime[:200],
        report=text,
        reported_by=actor,
        reported_at=now,
    )
    referral.team.set(list(members.values()))
    _step(referral, actor, "report", "", ReferralState.REPORTED, text[:500], False)
    record(
        actor=actor,
        action="referrals.referral_reported",
        obj=referral,
        department=referral.department,
        changes={"case": str(case.public_id), "suspected_crime": crime, "team": sorted(members)},
    )
    return referral


def _step(
    referral: Referral,
    actor: Any,
    action: str,
    from_state: str,
    to_state: str,
    note: str,
    late: bool,
    department: Department | None = None,
) -> None:
    ReferralStep.objects.create(
        referral=referral,
        action=action,
        from_state=from_state,
        to_state=to_state,
        occurred_at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        department=department or referral.department,
        note=note,
        is_late=late,
    )


def _lock(referral: Referral, action: str) -> Referral:
    locked = (
        Referral.objects.select_for_update(no_key=True, of=("self",))
        .select_related("case", "department", "police_department")
        .get(pk=referral.pk)
    )
    states, _who = ACTIONS[action]
    if locked.state not in states:
        raise ValidationError(
            {
                "__all__": [
                    _("This step is not possible while the referral is “%(state)s”.")
                    % {"state": locked.get_state_display()}
                ]
            }
        )
    return locked


def _late(referral: Referral, clock_key: str) -> bool:
    now = timezone.now()
    for clock in clocks.referral_clocks(referral):
        if clock.key == clock_key and clock.done_at is None:
            return now > clock.due_at
    return False


def _commit(
    referral: Referral,
    *,
    actor: Any,
    action: str,
    to_state: str,
    fields: dict[str, Any],
    note: str,
    clock_key: str,
    department: Department | None = None,
) -> Referral:
    late = _late(referral, clock_key)
    from_state = referral.state
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.state = to_state
    referral.save(update_fields=[*fields, "state", "updated_at"])
    _step(referral, actor, action, from_state, to_state, note, late, department)
    record(
        actor=actor,
        action=f"referrals.referral_{action}",
        obj=referral,
        department=department or referral.department,
        changes={"state": [from_state, to_state], "late": late},
        reason=note,
    )
    return referral


@transaction.atomic
def decide_referral(
    *,
    actor: Any,
    referral: Referral,
    approve: bool,
    reasons: str = "",
    police_department: Department | None = None,
) -> Referral:
    """The head approves (naming the police department) or refuses with reasons (第5条)."""
    referral = _lock(referral, "decide")
    _require(actor, APPROVE, referral.department_id)
    errors: dict[str, list[str]] = {}
    note = (reasons or "").strip()
    fields: dict[str, Any] = {"decided_at": timezone.now(), "decision_reasons": note}
    if approve:
        allowed = police_departments_for(referral.case)
        if police_department is None or police_department.pk not in {d.pk for d in allowed}:
            errors["police_department"] = [
                _("Choose a police department whose jurisdiction covers the case.")
            ]
        fields["police_department"] = police_department
    elif not note:
        errors["reasons"] = [_("A refusal must give its reasons.")]
    _raise(errors)
    state = ReferralState.APPROVED if approve else ReferralState.REFUSED
    return _commit(
        referral,
        actor=actor,
        action="decide",
        to_state=state,
        fields=fields,
        note=note,
        clock_key="decide",
    )


def _case_legal_basis(case: Case) -> str:
    """The legal basis the case already holds: its lead department's latest decision (proposed
    or in effect) that names one."""
    return (
        case.decisions.filter(department_id=case.department_id)
        .exclude(legal_basis="")
        .order_by("-id")
        .values_list("legal_basis", flat=True)
        .first()
        or ""
    )


@transaction.atomic
def transfer_referral(
    *, actor: Any, referral: Referral, attachments: Iterable[str] = ()
) -> Referral:
    """Send the approved referral to the police with its transfer letter (24 hours, 第5–6条)."""
    referral = _lock(referral, "transfer")
    _require(actor, CHANGE, referral.department_id)
    now = timezone.now()
    case = referral.case
    police = referral.police_department
    if police is None:  # approved referrals name one; defensive
        raise ValidationError({"police_department": [_("No police department was chosen.")]})
    officers = [u.full_name or u.username for u in referral.team.order_by("pk")]
    document = render_document(
        actor=actor,
        kind=DocumentKind.REFERRAL_LETTER,
        context={
            "number": f"{case.number}-移",
            "department_name": referral.department.name,
            "police_department_name": police.name,
            "case_title": case.title,
            "party_name": case.party_name,
            "party_credit_code": case.party_credit_code,
            "party_address": case.entity.address if case.entity is not None else "",
            "legal_representative": case.legal_representative,
            "legal_basis": _case_legal_basis(case),
            "suspected_crime": referral.suspected_crime,
            "facts": case.facts or referral.report,
            "evidence_summary": referral.report,
            "attachments": [a for a in attachments if a.strip()]
            or ["涉嫌犯罪案件调查报告", "涉案物品清单", "检验报告或者鉴定意见", "其他有关材料"],
            "officers": officers,
            "referred_on": timezone.localdate(),
        },
        department=referral.department,
        subject=referral_subject(referral),
        title=f"涉嫌犯罪案件移送书 {case.number}",
    )
    referral = _commit(
        referral,
        actor=actor,
        action="transfer",
        to_state=ReferralState.TRANSFERRED,
        fields={"transferred_at": now, "letter_document_id": document.public_id},
        note=police.name,
        clock_key="transfer",
    )
    _emit_webhook(referral, "referral.made")
    publish(_made(referral, actor))
    return referral


def _made(referral: Referral, actor: Any) -> ReferralMade:
    police_id = referral.police_department_id or 0
    return ReferralMade(
        referral_id=referral.pk,
        referral_public_id=referral.public_id,
        case_public_id=referral.case.public_id,
        case_number=referral.case.number,
        department_id=referral.department_id,
        police_department_id=police_id,
        suspected_crime=referral.suspected_crime,
        actor_id=getattr(actor, "pk", None),
    )


def _answered(referral: Referral, actor: Any, answer: str, reasons: str) -> ReferralAnswered:
    police_id = referral.police_department_id or 0
    return ReferralAnswered(
        referral_id=referral.pk,
        referral_public_id=referral.public_id,
        case_number=referral.case.number,
        department_id=referral.department_id,
        police_department_id=police_id,
        answer=answer,
        reasons=reasons,
        actor_id=getattr(actor, "pk", None),
    )


def _emit_webhook(referral: Referral, event_type: str) -> None:
    from yaojian.webhooks.services import emit

    ids = [referral.department_id]
    if referral.police_department_id:
        ids.append(referral.police_department_id)
    emit(
        event_type=event_type,
        department_ids=ids,
        payload={
            "referral": str(referral.public_id),
            "case_number": referral.case.number,
            "state": referral.state,
            "suspected_crime": referral.suspected_crime,
        },
        idempotency_key=f"{event_type}:{referral.public_id}:{referral.state}",
    )


def _police(actor: Any, referral: Referral) -> Department:
    police = referral.police_department
    if police is None or police.kind != DepartmentKind.PUBLIC_SECURITY:
        raise PermissionDenied(_("Only the police department addressed may answer."))
    _require(actor, ANSWER, police.pk)
    return police


@transaction.atomic
def receive_referral(
    *,
    actor: Any,
    referral: Referral,
    complexity: str = PoliceComplexity.ORDINARY,
    approval: str = "",
) -> Referral:
    """The police sign the receipt (第7条) and say how long their review may take (3/10/30 d)."""
    referral = _lock(referral, "receipt")
    police = _police(actor, referral)
    errors: dict[str, list[str]] = {}
    if complexity not in PoliceComplexity.values:
        errors["complexity"] = [_("Choose how complex the case is.")]
    note = (approval or "").strip()
    if complexity == PoliceComplexity.MAJOR and not note:
        errors["approval"] = [_("A 30-day review of a major case needs the approval recorded.")]
    _raise(errors)
    return _commit(
        referral,
        actor=actor,
        action="receipt",
        to_state=ReferralState.RECEIVED,
        fields={
            "received_at": timezone.now(),
            "complexity": complexity,
            "complexity_approval": note[:200],
        },
        note=note,
        clock_key="police_review",
        department=police,
    )


@transaction.atomic
def forward_referral(
    *, actor: Any, referral: Referral, to_department: Department, reasons: str
) -> Referral:
    """The police pass a case outside their jurisdiction to the competent one (24 h, 第7条)."""
    referral = _lock(referral, "forward")
    police = _police(actor, referral)
    errors: dict[str, list[str]] = {}
    note = _text(errors, "reasons", reasons, _("Say why the case is forwarded."))
    if to_department.kind != DepartmentKind.PUBLIC_SECURITY or to_department.pk == police.pk:
        errors["to_department"] = [_("Choose another police department.")]
    _raise(errors)
    now = timezone.now()
    late = referral.received_at is not None and now > clocks.due_after_hours(
        referral.received_at, int(clocks.config()["forward_hours"])
    )
    referral = _commit(
        referral,
        actor=actor,
        action="forward",
        to_state=ReferralState.TRANSFERRED,
        fields={
            "forwarded_from": police,
            "police_department": to_department,
            "forwarded_at": now,
            "received_at": None,
        },
        note=note,
        clock_key="",
        department=police,
    )
    if late:
        ReferralStep.objects.filter(referral=referral, action="forward").update(is_late=True)
    publish(_answered(referral, actor, "forwarded", note))
    publish(_made(referral, actor))
    return referral


@transaction.atomic
def answer_referral(
    *, actor: Any, referral: Referral, accept: bool, reasons: str = "", police_case_number: str = ""
) -> Referral:
    """The police answer in writing: a case is opened, or declined with reasons (第8条)."""
    referral = _lock(referral, "answer")
    police = _police(actor, referral)
    errors: dict[str, list[str]] = {}
    note = (reasons or "").strip()
    if not accept and not note:
        errors["reasons"] = [_("A refusal to open a case must give its reasons.")]
    _raise(errors)
    state = ReferralState.ACCEPTED if accept else ReferralState.DECLINED
    referral = _commit(
        referral,
        actor=actor,
        action="answer",
        to_state=state,
        fields={
            "answered_at": timezone.now(),
            "answer_reasons": note,
            "police_case_number": (police_case_number or "").strip()[:64],
        },
        note=note,
        clock_key="police_review",
        department=police,
    )
    _emit_webhook(referral, "referral.answered")
    publish(_answered(referral, actor, state, note))
    return referral


@transaction.atomic
def request_reconsideration(*, actor: Any, referral: Referral, reasons: str) -> Referral:
    """The agency asks the police to reconsider a refusal, within 3 days of it (第9条)."""
    referral = _lock(referral, "request_reconsideration")
    _require(actor, CHANGE, referral.department_id)
    errors: dict[str, list[str]] = {}
    note = _text(errors, "reasons", reasons, _("Give the reasons for reconsideration."))
    if _late(referral, "request_reconsideration"):
        errors.setdefault("__all__", []).append(
            _("The 3 days for requesting reconsideration have passed.")
        )
    _raise(errors)
    return _commit(
        referral,
        actor=actor,
        action="request_reconsideration",
        to_state=ReferralState.RECONSIDERATION,
        fields={
            "reconsideration_requested_at": timezone.now(),
            "reconsideration_reasons": note,
        },
        note=note,
        clock_key="request_reconsideration",
    )


@transaction.atomic
def decide_reconsideration(
    *, actor: Any, referral: Referral, accept: bool, reasons: str = ""
) -> Referral:
    """The police decide on the reconsideration within 3 days (第9条)."""
    referral = _lock(referral, "decide_reconsideration")
    police = _police(actor, referral)
    errors: dict[str, list[str]] = {}
    note = (reasons or "").strip()
    if not accept and not note:
        errors["reasons"] = [_("Upholding the refusal must give its reasons.")]
    _raise(errors)
    state = ReferralState.ACCEPTED if accept else ReferralState.UPHELD
    referral = _commit(
        referral,
        actor=actor,
        action="decide_reconsideration",
        to_state=state,
        fields={"reconsideration_decided_at": timezone.now(), "reconsideration_answer": note},
        note=note,
        clock_key="decide_reconsideration",
        department=police,
    )
    publish(_answered(referral, actor, state, note))
    return referral


@transaction.atomic
def request_supervision(
    *, actor: Any, referral: Referral, procuratorate: str, note: str
) -> Referral:
    """Record that the agency asked the procuratorate to supervise, within 3 days (第9条)."""
    referral = _lock(referral, "request_supervision")
    _require(actor, CHANGE, referral.department_id)
    errors: dict[str, list[str]] = {}
    body = _text(errors, "procuratorate", procuratorate, _("Name the procuratorate."))
    text = _text(errors, "note", note, _("Summarise the request."))
    if _late(referral, "request_supervision"):
        errors.setdefault("__all__", []).append(
            _("The 3 days for asking the procuratorate have passed.")
        )
    _raise(errors)
    return _commit(
        referral,
        actor=actor,
        action="request_supervision",
        to_state=ReferralState.SUPERVISION,
        fields={
            "supervision_requested_at": timezone.now(),
            "procuratorate": body[:200],
            "supervision_note": text,
        },
        note=text,
        clock_key="request_supervision",
    )


@transaction.atomic
def hand_over(*, actor: Any, referral: Referral, note: str) -> Referral:
    """Record the hand-over of seized items and materials to the police (3 days, 第12条)."""
    referral = _lock(referral, "hand_over")
    _require(actor, CHANGE, referral.department_id)
    errors: dict[str, list[str]] = {}
    text = _text(errors, "note", note, _("List what was handed over."))
    _raise(errors)
    return _commit(
        referral,
        actor=actor,
        action="hand_over",
        to_state=ReferralState.HANDED_OVER,
        fields={"handed_over_at": timezone.now(), "handover_note": text},
        note=text,
        clock_key="hand_over",
    )


@transaction.atomic
def record_substitution_warning(*, referral: Referral, decision_note: str) -> None:
    """Log that a case with an open referral was decided with a fine only (第11条)."""
    _step(
        referral, None, "substitution_warning", referral.state, referral.state, decision_note, False
    )
    record(
        actor=None,
        action="referrals.substitution_warned",
        obj=referral,
        department=referral.department,
        reason=decision_note,
    )


def region_covers(department: Department, region_code: str) -> bool:
    """True if the department's jurisdiction contains ``region_code``."""
    return region_code.startswith(subtree_prefix(department.region_id))

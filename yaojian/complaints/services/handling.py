"""Handling a complaint or report: accept or refuse with the ground, mediation, transfer to
another department's remit, jurisdiction disputes, the report's clue in enforcement, telling
the reporter, publishing the outcome. Each step locks the row, checks the state table and the
actor, appends a step and an audit event (never the reporter's identity)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.complaints import clocks, conf, routing
from yaojian.complaints.choices import (
    OPEN_STATES,
    Action,
    NoticeKind,
    OutcomeKind,
    RefusalGround,
    State,
)
from yaojian.complaints.events import ComplaintTransferred
from yaojian.complaints.models import Complaint
from yaojian.complaints.permissions import APPROVE, HANDLE, IDENTITY_ANY
from yaojian.complaints.services.common import acts_in, lock, raise_if, require, save, text
from yaojian.complaints.services.notices import issue_notice
from yaojian.core.events import publish
from yaojian.enforcement.choices import ClueSource


def _today() -> dt.date:
    return timezone.localdate()


@transaction.atomic
def accept_complaint(*, actor: Any, complaint: Complaint, note: str = "") -> Complaint:
    """Accept a complaint (第14条): mediation starts, its 45 wd clock with it."""
    complaint = lock(complaint, Action.ACCEPT)
    require(actor, HANDLE, complaint.department_id)
    today = _today()
    complaint = save(
        complaint,
        actor=actor,
        action=Action.ACCEPT,
        fields={
            "state": State.ACCEPTED,
            "decided_on": today,
            "mediation_started_on": today,
            "assigned_to": actor if getattr(actor, "pk", None) else None,
        },
        note=text({}, "note", note) or _("The complaint was accepted; mediation begins."),
    )
    issue_notice(actor=actor, complaint=complaint, kind=NoticeKind.ACCEPTANCE)
    return complaint


@transaction.atomic
def refuse_complaint(*, actor: Any, complaint: Complaint, ground: str, reasons: str) -> Complaint:
    """Refuse a complaint with its ground (第15条); the complainant reads both."""
    complaint = lock(complaint, Action.REFUSE)
    require(actor, HANDLE, complaint.department_id)
    errors: dict[str, list[str]] = {}
    if ground not in RefusalGround.values:
        errors["ground"] = [_("Choose the ground for not accepting.")]
    years = conf.days("refusal_years")  # 第15条 (2019: three years), configuration
    if ground == RefusalGround.TOO_LATE and complaint.occurred_on is not None:
        today = _today()
        cutoff = dt.date(
            today.year - years, today.month, min(today.day, 28 if today.month == 2 else 31)
        )
        if complaint.occurred_on > cutoff:
            errors["ground"] = [
                _("It happened less than %(years)d years ago; this ground does not apply.")
                % {"years": years}
            ]
    reasons = text(errors, "reasons", reasons, _("Explain the decision to the complainant."))
    raise_if(errors)
    label = str(RefusalGround(ground).label)
    today = _today()
    complaint = save(
        complaint,
        actor=actor,
        action=Action.REFUSE,
        fields={
            "state": State.REFUSED,
            "decided_on": today,
            "refusal_ground": ground,
            "reasons": reasons,
            "outcome_kind": OutcomeKind.REFUSED,
            "outcome": f"{label}：{reasons}",
            "closed_on": today,
        },
        note=f"{label}：{reasons}",
        audit_changes={"ground": ground},
    )
    issue_notice(actor=actor, complaint=complaint, kind=NoticeKind.REFUSAL)
    return complaint


@transaction.atomic
def assign_complaint(*, actor: Any, complaint: Complaint, officer: Any) -> Complaint:
    """The head of the handling department names the officer who handles it — and so who may
    see the reporter's identity (第33条). The officer must handle complaints in that department."""
    complaint = lock(complaint)
    if not any(
        m.department_id == complaint.department_id
        for m in scope_for(actor).members_with(IDENTITY_ANY)
    ):
        raise PermissionDenied(_("Only the head of the handling department assigns officers."))
    if officer is None or not any(
        m.department_id == complaint.department_id for m in scope_for(officer).members_with(HANDLE)
    ):
        raise ValidationError(
            {"officer": [_("Choose an officer who handles complaints in this department.")]}
        )
    if complaint.state not in OPEN_STATES:
        raise ValidationError({"__all__": [_("Only an open complaint can be assigned.")]})
    return save(
        complaint,
        actor=actor,
        action="assign",
        fields={"assigned_to": officer},
        note=_("Assigned to %(officer)s.") % {"officer": officer.get_full_name() or officer},
        public=False,
        audit_changes={"officer": officer.pk},
    )


@transaction.atomic
def record_testing(*, actor: Any, complaint: Complaint, days: int, note: str = "") -> Complaint:
    """Working days of testing or appraisal during mediation, excluded from its 45 wd."""
    complaint = lock(complaint)
    require(actor, HANDLE, complaint.department_id)
    if complaint.state != State.ACCEPTED:
        raise ValidationError({"__all__": [_("Only a complaint in mediation has testing days.")]})
    if not isinstance(days, int) or days < 1 or days > 365:
        raise ValidationError({"days": [_("Enter between 1 and 365 working days.")]})
    return save(
        complaint,
        actor=actor,
        action="testing",
        fields={"testing_days": complaint.testing_days + days},
        note=text({}, "note", note)
        or _("%(days)d working days of testing excluded.") % {"days": days},
        public=False,
    )


@transaction.atomic
def end_mediation(*, actor: Any, complaint: Complaint, agreed: bool, reasons: str) -> Complaint:
    """Mediation ends with an agreement or without (第21条); both parties are told in 7 wd."""
    complaint = lock(complaint, Action.END_MEDIATION)
    require(actor, HANDLE, complaint.department_id)
    errors: dict[str, list[str]] = {}
    reasons = text(errors, "reasons", reasons, _("Record what was agreed or why it failed."))
    raise_if(errors)
    today = _today()
    return save(
        complaint,
        actor=actor,
        action=Action.END_MEDIATION,
        fields={
            "state": State.MEDIATED if agreed else State.MEDIATION_ENDED,
            "mediation_ended_on": today,
            "outcome_kind": OutcomeKind.MEDIATED if agreed else OutcomeKind.MEDIATION_FAILED,
            "outcome": reasons,
            "closed_on": today,
        },
        note=reasons,
        audit_changes={"agreed": agreed},
    )


@transaction.atomic
def record_parties_notified(*, actor: Any, complaint: Complaint) -> Complaint:
    """Both parties were told that mediation ended (stops the 7 wd clock)."""
    complaint = lock(complaint)
    require(actor, HANDLE, complaint.department_id)
    if complaint.mediation_ended_on is None or complaint.parties_notified_on is not None:
        raise ValidationError({"__all__": [_("There is no end of mediation to tell.")]})
    return save(
        complaint,
        actor=actor,
        action="parties_notified",
        fields={"parties_notified_on": _today()},
        note=_("Both parties were told that the mediation ended."),
    )


@transaction.atomic
def transfer_complaint(
    *, actor: Any, complaint: Complaint, to_department: Department | None, reasons: str
) -> Complaint:
    """Pass a matter in another department's remit to it, as a notice (hand-off via events)."""
    complaint = lock(complaint, Action.TRANSFER)
    require(actor, HANDLE, complaint.department_id)
    errors: dict[str, list[str]] = {}
    if to_department is None or to_department.pk == complaint.department_id:
        errors["to_department"] = [_("Choose the competent department.")]
    reasons = text(errors, "reasons", reasons, _("Explain why it lies in their remit."))
    raise_if(errors)
    assert to_department is not None  # noqa: S101
    today = _today()
    outcome = _("Passed to %(department)s: %(reasons)s") % {
        "department": to_department.name,
        "reasons": reasons,
    }
    save(
        complaint,
        actor=actor,
        action=Action.TRANSFER,
        fields={
            "state": State.TRANSFERRED,
            "transferred_to": to_department,
            "decided_on": complaint.decided_on or today,
            "opening_decided_on": complaint.opening_decided_on
            or (today if complaint.is_report else None),
            "outcome_kind": OutcomeKind.TRANSFERRED,
            "outcome": outcome,
            "closed_on": today,
        },
        note=outcome,
        audit_changes={"to": to_department.code},
    )
    publish(
        ComplaintTransferred(
            complaint_id=complaint.pk,
            complaint_public_id=complaint.public_id,
            number=complaint.number,
            department_id=complaint.department_id,
            to_department_id=to_department.pk,
            topic=complaint.topic,
            summary=complaint.summary[:1000],
        )
    )
    return complaint


@transaction.atomic
def raise_dispute(
    *, actor: Any, complaint: Complaint, department: Department | None, reason: str
) -> Complaint:
    """This office holds that ``department`` is competent: it agrees within 7 wd, or the common
    superior designates."""
    complaint = lock(complaint)
    require(actor, HANDLE, complaint.department_id)
    errors: dict[str, list[str]] = {}
    if complaint.state not in (State.RECEIVED,):
        errors["__all__"] = [_("Only a submission not yet decided can be disputed.")]
    if (
        department is None
        or department.pk == complaint.department_id
        or department.kind not in routing.REGULATORS
    ):
        errors["department"] = [_("Choose the regulatory office you hold competent.")]
    if complaint.dispute_raised_on and not complaint.dispute_resolved_on:
        errors["__all__"] = [_("A dispute is already open.")]
    reason = text(errors, "reason", reason, _("Explain why the other office is competent."))
    raise_if(errors)
    return save(
        complaint,
        actor=actor,
        action="dispute",
        fields={
            "dispute_department": department,
            "dispute_reason": reason,
            "dispute_raised_on": _today(),
            "dispute_resolved_on": None,
        },
        note=reason,
        public=False,
        audit_changes={"claimed": department.code if department else ""},
    )


def can_resolve_dispute(actor: Any, complaint: Complaint) -> bool:
    if complaint.dispute_department is None or complaint.dispute_resolved_on is not None:
        return False
    if acts_in(actor, HANDLE, complaint.dispute_department_id):
        return True
    superior = routing.common_superior(complaint.department, complaint.dispute_department)
    return superior is not None and acts_in(actor, HANDLE, superior.pk)


@transaction.atomic
def resolve_dispute(*, actor: Any, complaint: Complaint, department: Department) -> Complaint:
    """The claimed office agrees (takes it over) or the common superior designates one of the
    two offices."""
    complaint = lock(complaint)
    if not can_resolve_dispute(actor, complaint):
        raise PermissionDenied(_("Only the claimed office or the common superior may settle this."))
    if department.pk not in (complaint.department_id, complaint.dispute_department_id):
        raise ValidationError({"department": [_("Choose one of the two offices.")]})
    note = _("Jurisdiction settled: %(department)s handles it.") % {"department": department.name}
    return save(
        complaint,
        actor=actor,
        action="dispute_settled",
        fields={
            "department": department,
            "dispute_resolved_on": _today(),
            # The other office's officer no longer handles it (nor sees the reporter).
            "assigned_to": complaint.assigned_to
            if department.pk == complaint.department_id
            else None,
        },
        note=note,
        audit_changes={"department": department.code},
    )


@transaction.atomic
def make_clue(*, actor: Any, complaint: Complaint) -> Complaint:
    """Turn a report into a clue in enforcement (source "complaint"), linked both ways: the
    case's source reference is the tracking number; the report keeps the case. The reporter's
    identity does not travel."""
    from yaojian.enforcement import services as enforcement

    complaint = lock(complaint, Action.MAKE_CLUE)
    require(actor, HANDLE, complaint.department_id)
    title = _("Report %(number)s: %(subject)s") % {
        "number": complaint.number,
        "subject": complaint.subject_name,
    }
    facts = complaint.summary
    if complaint.products:
        facts += "\n" + _("Products: %(products)s") % {"products": complaint.products}
    case = enforcement.record_clue(
        actor=actor,
        source=ClueSource.COMPLAINT,
        title=title[:200],
        party_name=complaint.subject_name,
        region=complaint.region_id,
        entity=complaint.entity,
        facts=facts,
        source_reference=complaint.number,
        clue_received_on=complaint.received_on,
        department=complaint.department,
    )
    return save(
        complaint,
        actor=actor,
        action=Action.MAKE_CLUE,
        fields={"state": State.CLUE, "case": case, "assigned_to": actor},
        note=_("Passed to enforcement as a case clue; the office verifies it."),
        audit_changes={"case": str(case.public_id)},
    )


@transaction.atomic
def close_without_case(*, actor: Any, complaint: Complaint, reasons: str) -> Complaint:
    """Verification found no violation: no case is opened; the reporter reads the reasons."""
    complaint = lock(complaint, Action.NOT_OPENED)
    require(actor, HANDLE, complaint.department_id)
    errors: dict[str, list[str]] = {}
    reasons = text(errors, "reasons", reasons, _("Explain the decision to the reporter."))
    raise_if(errors)
    today = _today()
    return save(
        complaint,
        actor=actor,
        action=Action.NOT_OPENED,
        fields={
            "state": State.NOT_OPENED,
            "opening_decided_on": today,
            "outcome_kind": OutcomeKind.NOT_SUBSTANTIATED,
            "outcome": reasons,
            "reasons": reasons,
            "closed_on": today,
        },
        note=reasons,
    )


@transaction.atomic
def record_reporter_told(*, actor: Any, complaint: Complaint, how: str = "") -> Complaint:
    """The real-name reporter was told the opening decision (stops the 5 wd clock). ``actor``
    None: the reporter read it on the tracking page."""
    complaint = lock(complaint)
    if actor is not None:
        require(actor, HANDLE, complaint.department_id)
    if complaint.opening_decided_on is None or complaint.reporter_told_on is not None:
        if actor is None:
            return complaint
        raise ValidationError({"__all__": [_("There is no decision to tell.")]})
    note = text({}, "how", how) or (
        _("The reporter read the decision on the tracking page.")
        if actor is None
        else _("The reporter was told the decision.")
    )
    return save(
        complaint,
        actor=actor,
        action="reporter_told",
        fields={"reporter_told_on": _today()},
        note=note,
        public=False,
    )


PHONE_OR_ID = re.compile(r"\d{7,}[\dXx]?")


def mask_text(value: str) -> str:
    """Published text never carries long numbers (telephones, identity cards, accounts)."""
    return PHONE_OR_ID.sub(lambda m: m.group(0)[:3] + "*" * (len(m.group(0)) - 3), value)


@transaction.atomic
def publish_outcome(*, actor: Any, complaint: Complaint, summary: str) -> Complaint:
    """Publish a closed matter's outcome on the public site, masked."""
    complaint = lock(complaint)
    require(actor, APPROVE, complaint.department_id)
    errors: dict[str, list[str]] = {}
    if complaint.state in (State.RECEIVED, State.ACCEPTED, State.CLUE, State.DUPLICATE):
        errors["__all__"] = [_("Only a decided matter's outcome can be published.")]
    summary = text(errors, "summary", summary, _("Write the summary to publish."), 2000)
    raise_if(errors)
    return save(
        complaint,
        actor=actor,
        action="published",
        fields={
            "publish_outcome": True,
            "public_summary": mask_text(summary),
            "published_at": timezone.now(),
        },
        note=_("The outcome was published."),
        public=False,
    )


# --- flowing back from enforcement (called by handlers.py) ---------------------------------


@transaction.atomic
def case_opened(*, complaint: Complaint, filed_on: dt.date | None) -> Complaint:
    complaint = lock(complaint)
    if complaint.state != State.CLUE:
        return complaint
    return save(
        complaint,
        actor=None,
        action=Action.CASE_OPENED,
        fields={"state": State.CASE_OPENED, "opening_decided_on": filed_on or _today()},
        note=_("A case was opened on your report."),
    )


@transaction.atomic
def case_decided(
    *, complaint: Complaint, summary: str, amount: Any, decided_on: dt.date | None
) -> Complaint:
    complaint = lock(complaint)
    redecided = complaint.state in (State.CONCLUDED, State.CLOSED) and (
        complaint.penalty_amount is None and amount is not None  # after a change or revocation
    )
    if complaint.state not in (State.CLUE, State.CASE_OPENED) and not redecided:
        return complaint
    outcome = _("The case was decided: %(summary)s") % {"summary": summary}
    return save(
        complaint,
        actor=None,
        action=Action.CONCLUDED,
        fields={
            "state": complaint.state if redecided else State.CONCLUDED,
            "opening_decided_on": complaint.opening_decided_on or decided_on or _today(),
            "outcome_kind": OutcomeKind.SUBSTANTIATED,
            "outcome": outcome,
            "penalty_amount": amount,
        },
        note=outcome,
    )


@transaction.atomic
def case_closed(*, complaint: Complaint, closed_on: dt.date | None) -> Complaint:
    complaint = lock(complaint)
    if complaint.state not in (State.CONCLUDED, State.CASE_OPENED):
        return complaint
    return save(
        complaint,
        actor=None,
        action=Action.CLOSE,
        fields={"state": State.CLOSED, "closed_on": closed_on or _today()},
        note=_("The case was closed."),
    )


@transaction.atomic
def case_not_filed(*, complaint: Complaint, reason: str) -> Complaint:
    complaint = lock(complaint)
    if complaint.state != State.CLUE:
        return complaint
    today = _today()
    reasons = reason or _("No violation was established; no case was opened.")
    return save(
        complaint,
        actor=None,
        action=Action.NOT_OPENED,
        fields={
            "state": State.NOT_OPENED,
            "opening_decided_on": today,
            "outcome_kind": OutcomeKind.NOT_SUBSTANTIATED,
            "outcome": reasons,
            "closed_on": today,
        },
        note=reasons,
    )


def overdue_clock(complaint: Complaint, today: dt.date) -> clocks.Clock | None:
    clock = clocks.next_due(complaint)
    return clock if clock is not None and clock.due_on < today else None

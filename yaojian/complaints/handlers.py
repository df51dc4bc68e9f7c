"""Reactions: the enforcement case's outcome flows back to the report; transfers and
escalations become notices to the departments concerned. The reporter's identity never goes
into a notice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from yaojian.accounts.models import Department
from yaojian.complaints import routing, services
from yaojian.complaints.choices import Kind, Topic
from yaojian.complaints.events import (
    ComplaintOverdue,
    ComplaintReceived,
    ComplaintSubstantiated,
    ComplaintTransferred,
)
from yaojian.complaints.models import Complaint
from yaojian.core.events import publish
from yaojian.territory.selectors import departments_covering


def _sent_before(sender: Department, recipient: Department, ref: str, subject: str) -> bool:
    from yaojian.notices.models import Notice

    return Notice.objects.filter(
        source_app="complaints",
        source_ref=ref,
        sender=sender,
        recipient=recipient,
        subject=subject,
    ).exists()


def _notice(sender: Department, recipient: Department, ref: str, subject: str, body: str) -> None:
    from yaojian.notices.services import send_notice

    if _sent_before(sender, recipient, ref, subject):
        return
    send_notice(
        actor=None,
        sender_department=sender,
        recipient_departments=[recipient],
        subject=subject,
        body=body,
        source_app="complaints",
        source_ref=ref,
    )


def notify_transfer(event: ComplaintTransferred) -> None:
    """A notice to the competent department with the matter (not the reporter)."""
    sender = Department.objects.get(pk=event.department_id)
    recipient = Department.objects.get(pk=event.to_department_id)
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "number": event.number,
            "topic": str(Topic(event.topic).label) if event.topic in Topic.values else "",
            "summary": event.summary,
        }
        subject = _("Complaint %(number)s passed to you: %(topic)s") % params
        body = (
            _("This matter lies in your remit (%(topic)s). What was reported: %(summary)s") % params
        )
    _notice(sender, recipient, str(event.complaint_public_id), subject[:200], body)


def notify_also(event: ComplaintReceived) -> None:
    """A matter handled here that another department must hear of (回流药 → insurance)."""
    if event.also_tell_department_id is None:
        return
    sender = Department.objects.get(pk=event.department_id)
    recipient = Department.objects.get(pk=event.also_tell_department_id)
    complaint = Complaint.objects.get(pk=event.complaint_id)
    with translation.override(settings.LANGUAGE_CODE):
        params = {"number": event.number, "subject": complaint.subject_name}
        subject = _("Report %(number)s concerns insured drugs: %(subject)s") % params
        body = (
            _(
                "%(subject)s is reported for reselling insured drugs bought back from patients. "
                "The drug regulator handles the report; please check the settlement records."
            )
            % params
        )
    _notice(sender, recipient, str(event.complaint_public_id), subject[:200], body)


def webhook_received(event: ComplaintReceived) -> None:
    """Outbound webhook to the handling department's systems: no personal data."""
    from yaojian.core.events import delivery_key
    from yaojian.webhooks.services import emit

    emit(
        event_type="complaint.received",
        department_ids=[event.department_id],
        payload={
            "complaint": str(event.complaint_public_id),
            "number": event.number,
            "kind": event.kind,
            "topic": event.topic,
            "region": event.region_code,
        },
        idempotency_key=delivery_key() or f"complaint.received:{event.complaint_public_id}",
    )


def escalate(event: ComplaintOverdue) -> None:
    """A notice to the office above the handling one (the superior sees the overdue clock); an
    unsettled jurisdiction dispute goes to the two offices' common superior, which designates."""
    department = Department.objects.get(pk=event.department_id)
    recipient = None
    if event.clock == "dispute":
        complaint = (
            Complaint.objects.select_related("dispute_department")
            .filter(pk=event.complaint_id)
            .first()
        )
        if complaint is not None and complaint.dispute_department is not None:
            recipient = routing.common_superior(department, complaint.dispute_department)
    if recipient is None:
        above = [
            d
            for d in departments_covering(department.region_id, kinds=routing.REGULATORS)
            if d.pk != department.pk and d.region_id != department.region_id
        ]
        if not above:
            return
        recipient = above[0]
    with translation.override(settings.LANGUAGE_CODE):
        params = {"number": event.number, "department": department.name, "due": event.due_on}
        if event.clock == "dispute":
            subject = _("Designate the office: complaint %(number)s at %(department)s") % params
            body = _(
                "The jurisdiction dispute over complaint %(number)s was not settled by %(due)s; "
                "as the common superior, designate the office that handles it."
            ) % (params)
        else:
            subject = _("Overdue: complaint %(number)s at %(department)s") % params
            body = _("The deadline of complaint %(number)s passed on %(due)s without the step.") % (
                params
            )
    _notice(department, recipient, f"overdue:{event.number}:{event.clock}", subject[:200], body)


def _linked(case_id: int) -> list[Complaint]:
    return list(Complaint.objects.filter(case_id=case_id, kind=Kind.REPORT))


def on_case_filed(event: Any) -> None:
    from yaojian.enforcement.models import Case

    for complaint in _linked(event.case_id):
        filed_on = Case.objects.filter(pk=event.case_id).values_list("filed_on", flat=True).first()
        services.case_opened(complaint=complaint, filed_on=filed_on)


def on_case_decided(event: Any) -> None:
    publication = getattr(event, "publication", None)
    for complaint in _linked(event.case_id):
        amount = None
        summary = ""
        decided_on = None
        if publication is not None:
            amount = (publication.fine_amount or Decimal(0)) + (
                publication.confiscated_amount or Decimal(0)
            )
            summary = publication.penalty_summary
            decided_on = publication.decided_on
        complaint = services.case_decided(
            complaint=complaint,
            summary=summary or _("a penalty decision was made"),
            amount=amount,
            decided_on=decided_on,
        )
        decision_public_id = publication.decision_public_id if publication is not None else None
        publish(
            ComplaintSubstantiated(
                complaint_id=complaint.pk,
                complaint_public_id=complaint.public_id,
                number=complaint.number,
                department_id=complaint.department_id,
                region_code=complaint.region_id,
                entity_id=complaint.entity_id,
                case_public_id=event.case_public_id,
                topic=complaint.topic,
                decision_public_id=decision_public_id,
            )
        )


def record_substantiated_on_credit(event: ComplaintSubstantiated) -> None:
    """A substantiated report feeds the credit file of the registered entity it named (and so
    the entity's grade, which the inspection frequency engine reads as its compliance factor).

    Idempotent: the credit records are keyed by the decision and the kind, the same key as the
    credit app's own reaction to ``CaseDecided`` — the penalty counts once, whichever runs
    first, however often this is delivered. Nothing is recorded for a report about an
    unregistered respondent, a decision without penalty items, or a case whose party is another
    registered entity than the one reported (the credit app records that party)."""
    from yaojian.credit import services as credit
    from yaojian.enforcement.models import Decision
    from yaojian.enforcement.services.penalties import publication_for
    from yaojian.registry.models import Entity

    if event.entity_id is None or event.decision_public_id is None:
        return
    decision = (
        Decision.objects.select_related("case", "case__entity", "department")
        .filter(public_id=event.decision_public_id)
        .first()
    )
    if decision is None or decision.decided_on is None:
        return
    case = decision.case
    if case.entity_id is not None and case.entity_id != event.entity_id:
        return
    entity = Entity.objects.filter(pk=event.entity_id).first()
    if entity is None or not decision.items.exists():
        return
    conduct = next((i.conduct for i in decision.items.all() if i.conduct), "")
    credit.record_substantiated_report(
        entity=entity,
        department=decision.department,
        publication=publication_for(case, decision),
        conduct=conduct,
    )


def on_decision_changed(event: Any) -> None:
    """A changed, revoked or void decision: the report's penalty (the reward's basis) follows."""
    from yaojian.enforcement.models import Decision

    case_public_id = event.case_public_id or (
        Decision.objects.filter(public_id=event.decision_public_id)
        .values_list("case__public_id", flat=True)
        .first()
    )
    if case_public_id is None:
        return
    for complaint in Complaint.objects.filter(case__public_id=case_public_id, kind=Kind.REPORT):
        services.penalty_changed(
            complaint=complaint, change=event.change, changed_on=event.changed_on
        )


def on_case_closed(event: Any) -> None:
    from yaojian.enforcement.models import Case

    for complaint in _linked(event.case_id):
        closed_on = (
            Case.objects.filter(pk=event.case_id).values_list("closed_on", flat=True).first()
        )
        services.case_closed(complaint=complaint, closed_on=closed_on)


def complaint_url(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.public_id])

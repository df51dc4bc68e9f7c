"""Staff pages: the register, one complaint with its clocks and steps, intake by phone or
letter, the reporter's identity (audited), attachments, the case panel and the CSV export."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from yaojian.accounts.scoping import has_permission
from yaojian.complaints import clocks, forms, selectors, services
from yaojian.complaints.choices import OPEN_STATES, TRANSITIONS, Action, Kind, RewardState, State
from yaojian.complaints.models import Attachment, Complaint, ComplaintNotice
from yaojian.complaints.permissions import ADD, VIEW
from yaojian.complaints.services.common import acts_in
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import template_for
from yaojian.core.tables import columns
from yaojian.enforcement.selectors import get_case_for_user

LIST_COLUMNS = columns(
    ("number", _("Tracking number")),
    ("kind", _("Kind")),
    ("subject", _("Respondent")),
    ("department", _("Department")),
    ("state", _("State")),
    ("due", _("Next deadline")),
)


def _require_view(request: HttpRequest) -> None:
    if not has_permission(request.user, VIEW):
        raise PermissionDenied


def complaint_list(request: HttpRequest) -> HttpResponse:
    """The register of my department (and those I oversee), most urgent first."""
    _require_view(request)
    form = forms.FilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    rows = selectors.complaint_list(
        request.user,
        kind=params.get("kind", ""),
        state=params.get("state", ""),
        q=params.get("q", ""),
        due=request.GET.get("due", "")[:10],
    )
    outcome = request.GET.get("outcome", "")[:24]
    if outcome:
        rows = rows.filter(outcome_kind=outcome)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    today = timezone.localdate()
    items = []
    for complaint in page.object_list:
        clock = clocks.next_due(complaint)
        items.append(
            {"c": complaint, "clock": clock, "status": clock.status(today) if clock else ""}
        )
    context = {
        "form": form,
        "page_obj": page,
        "items": items,
        "columns": LIST_COLUMNS,
        "can_add": has_permission(request.user, ADD),
    }
    return render(
        request, template_for(request, "complaints/complaint_list.html", "complaint-table"), context
    )


@require_GET
def complaint_export(request: HttpRequest) -> HttpResponse:
    """The register as CSV: never the reporter's identity or contact."""
    _require_view(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="complaints.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            str(_("Tracking number")),
            str(_("Kind")),
            str(_("Topic")),
            str(_("Respondent")),
            str(_("Department")),
            str(_("State")),
            str(_("Received on")),
            str(_("Outcome")),
        ]
    )
    for c in selectors.complaint_list(request.user)[:5000]:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    c.number,
                    c.get_kind_display(),
                    c.get_topic_display(),
                    c.subject_name,
                    c.department.name,
                    c.get_state_display(),
                    c.received_on.isoformat(),
                    c.outcome,
                )
            ]
        )
    return response


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet never runs as a formula."""
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


# action -> (form, who may act: "handle" / "approve" / "dispute", call)
Call = Callable[[Any, Complaint, dict[str, Any]], Any]
STEPS: dict[str, tuple[type, str, Call]] = {
    Action.ACCEPT: (
        forms.NoteForm,
        "handle",
        lambda u, c, d: services.accept_complaint(actor=u, complaint=c, note=d["note"]),
    ),
    Action.REFUSE: (
        forms.RefuseForm,
        "handle",
        lambda u, c, d: services.refuse_complaint(
            actor=u, complaint=c, ground=d["ground"], reasons=d["reasons"]
        ),
    ),
    Action.TRANSFER: (
        forms.TransferForm,
        "handle",
        lambda u, c, d: services.transfer_complaint(
            actor=u, complaint=c, to_department=d["to_department"], reasons=d["reasons"]
        ),
    ),
    "assign": (
        forms.AssignForm,
        "assign",
        lambda u, c, d: services.assign_complaint(actor=u, complaint=c, officer=d["officer"]),
    ),
    "testing": (
        forms.TestingForm,
        "handle",
        lambda u, c, d: services.record_testing(actor=u, complaint=c, days=d["days"]),
    ),
    Action.END_MEDIATION: (
        forms.EndMediationForm,
        "handle",
        lambda u, c, d: services.end_mediation(
            actor=u, complaint=c, agreed=d["agreed"], reasons=d["reasons"]
        ),
    ),
    "parties_notified": (
        forms.EmptyForm,
        "handle",
        lambda u, c, d: services.record_parties_notified(actor=u, complaint=c),
    ),
    Action.MAKE_CLUE: (
        forms.EmptyForm,
        "handle",
        lambda u, c, d: services.make_clue(actor=u, complaint=c),
    ),
    Action.NOT_OPENED: (
        forms.ReasonsForm,
        "handle",
        lambda u, c, d: services.close_without_case(actor=u, complaint=c, reasons=d["reasons"]),
    ),
    "reporter_told": (
        forms.ToldForm,
        "handle",
        lambda u, c, d: services.record_reporter_told(actor=u, complaint=c, how=d["how"]),
    ),
    "dispute": (
        forms.DisputeForm,
        "handle",
        lambda u, c, d: services.raise_dispute(
            actor=u, complaint=c, department=d["department"], reason=d["reason"]
        ),
    ),
    "resolve_dispute": (
        forms.ResolveDisputeForm,
        "dispute",
        lambda u, c, d: services.resolve_dispute(actor=u, complaint=c, department=d["department"]),
    ),
    "publish": (
        forms.PublishForm,
        "approve",
        lambda u, c, d: services.publish_outcome(actor=u, complaint=c, summary=d["summary"]),
    ),
    "reward_propose": (
        forms.RewardProposeForm,
        "handle",
        lambda u, c, d: services.propose_reward(
            actor=u, complaint=c, tier=d["tier"], insider=d["insider"], note=d["note"]
        ),
    ),
    "reward_decide": (
        forms.RewardDecideForm,
        "approve",
        lambda u, c, d: services.decide_reward(
            actor=u,
            reward=c.reward,
            approve=d["approve"],
            finance_reference=d["finance_reference"],
            note=d["note"],
        ),
    ),
    "reward_pay": (
        forms.RewardPaymentForm,
        "handle",
        lambda u, c, d: services.record_reward_payment(
            actor=u, reward=c.reward, reference=d["reference"]
        ),
    ),
}

LABELS = {
    **dict(Action.choices),
    "assign": _("Assign the handling officer"),
    "testing": _("Record testing days"),
    "parties_notified": _("Both parties told"),
    "reporter_told": _("Reporter told the decision"),
    "dispute": _("Dispute the jurisdiction"),
    "resolve_dispute": _("Settle the jurisdiction"),
    "publish": _("Publish the outcome"),
    "reward_propose": _("Propose a reward"),
    "reward_decide": _("Decide on the reward"),
    "reward_pay": _("Record the payment"),
    "received": pgettext_lazy("complaint step", "Received"),
    "dispute_settled": _("Jurisdiction settled"),
    "published": _("Outcome published"),
    "reward_proposed": _("Reward proposed"),
    "reward_approved": _("Reward approved"),
    "reward_rejected": _("Reward rejected"),
    "reward_claimed": _("Reward claimed"),
    "reward_paid": _("Reward paid"),
    "escalated": _("Escalated"),
    "penalty_changed": _("Penalty decision changed or revoked"),
}


def _available(request: HttpRequest, c: Complaint) -> list[str]:
    out = []
    user = request.user
    handle = selectors.can(user, c, "handle")
    reward = selectors.reward_of(c)
    for action in STEPS:
        if action in TRANSITIONS:
            kinds, states, _to = TRANSITIONS[action]
            if (
                handle
                and c.kind in kinds
                and c.state in states
                and action not in (Action.CASE_OPENED, Action.CONCLUDED, Action.CLOSE)
            ):
                out.append(action)
    if c.state in OPEN_STATES and selectors.can_assign(user, c):
        out.append("assign")
    if handle and c.state == State.ACCEPTED:
        out.append("testing")
    if handle and c.mediation_ended_on and not c.parties_notified_on:
        out.append("parties_notified")
    if handle and c.opening_decided_on and not c.reporter_told_on and not c.is_anonymous:
        out.append("reporter_told")
    if (
        handle
        and c.state == State.RECEIVED
        and not (c.dispute_raised_on and not c.dispute_resolved_on)
    ):
        out.append("dispute")
    if c.dispute_raised_on and not c.dispute_resolved_on and services.can_resolve_dispute(user, c):
        out.append("resolve_dispute")
    if (
        selectors.can(user, c, "approve")
        and c.state not in (State.RECEIVED, State.ACCEPTED, State.CLUE, State.DUPLICATE)
        and not c.publish_outcome
    ):
        out.append("publish")
    if (
        handle
        and c.kind == Kind.REPORT
        and c.state in (State.CONCLUDED, State.CLOSED)
        and (reward is None and c.penalty_amount is not None)
    ):
        out.append("reward_propose")
    if reward and reward.state == RewardState.PROPOSED and selectors.can(user, c, "approve"):
        out.append("reward_decide")
    if reward and reward.state == RewardState.CLAIMED and handle:
        out.append("reward_pay")
    return out


def _form(action: str, complaint: Complaint, data: Any = None) -> Any:
    form_class = STEPS[action][0]
    if form_class in (forms.ResolveDisputeForm, forms.AssignForm):
        return form_class(data, complaint=complaint)
    return form_class(data)


def _context(request: HttpRequest, c: Complaint, **override: Any) -> dict[str, Any]:
    today = timezone.localdate()
    step_forms = {a: _form(a, c) for a in _available(request, c)}
    step_forms.update(override)
    return {
        "c": c,
        "clocks": [(clock, clock.status(today)) for clock in clocks.clocks_of(c)],
        "steps": selectors.timeline(c, public=False),
        "step_forms": step_forms,
        "labels": {k: str(v) for k, v in LABELS.items()},
        "can_see_reporter": selectors.can_see_reporter(request.user, c),
        "attachments": c.attachments.only("id", "filename", "content_type", "size")
        if selectors.can_see_reporter(request.user, c)
        else [],
        "reward": selectors.reward_of(c),
        "duplicates": c.duplicates.only("number", "public_id"),
        "notices": selectors.notices_of(c) if selectors.can_read_notices(request.user, c) else [],
    }


def complaint_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    complaint = selectors.get_complaint_for_user(request.user, public_id)
    return render(request, "complaints/complaint_detail.html", _context(request, complaint))


@require_POST
def complaint_step(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    complaint = selectors.get_complaint_for_user(request.user, public_id)
    if action not in STEPS:
        raise Complaint.DoesNotExist
    if action not in _available(request, complaint):
        raise PermissionDenied
    form = _form(action, complaint, request.POST)
    if form.is_valid():
        try:
            STEPS[action][2](request.user, complaint, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("complaints:detail", public_id=complaint.public_id)
    complaint.refresh_from_db()
    return render(
        request,
        "complaints/complaint_detail.html",
        _context(request, complaint, **{action: form}),
        status=UNPROCESSABLE,
    )


@require_GET
def reporter(request: HttpRequest, public_id: str) -> HttpResponse:
    """The reporter's identity: handling officers of the handling department only, audited."""
    complaint = selectors.get_complaint_for_user(request.user, public_id)
    identity = selectors.reveal_reporter(request.user, complaint)
    if identity is None and not selectors.can_see_reporter(request.user, complaint):
        raise PermissionDenied
    response = render(request, "complaints/reporter.html", {"c": complaint, "identity": identity})
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_response(notice: ComplaintNotice) -> HttpResponse:
    """A stored notice as a PDF download (never cached)."""
    response = HttpResponse(bytes(notice.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{notice.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def notice(request: HttpRequest, public_id: str, notice_id: str) -> HttpResponse:
    """The acceptance or refusal notice, for the handling officers (each download audited)."""
    complaint = selectors.get_complaint_for_user(request.user, public_id)
    if not selectors.can_read_notices(request.user, complaint):
        raise PermissionDenied
    row = ComplaintNotice.objects.filter(complaint=complaint, public_id=notice_id).first()
    if row is None:
        raise Complaint.DoesNotExist
    services.record_notice_read(actor=request.user, notice=row, by_complainant=False)
    return pdf_response(row)


@require_GET
def attachment(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    complaint = selectors.get_complaint_for_user(request.user, public_id)
    if not selectors.can_see_reporter(request.user, complaint):
        raise PermissionDenied
    row = Attachment.objects.filter(complaint=complaint, pk=pk).first()
    if row is None:
        raise Complaint.DoesNotExist
    response = HttpResponse(bytes(row.content), content_type=row.content_type)
    response["Content-Disposition"] = f'attachment; filename="attachment-{row.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def complaint_create(request: HttpRequest) -> HttpResponse:
    """Record a complaint taken by phone or letter, or received from another department."""
    memberships = list(
        request.user.memberships.filter(is_active=True).select_related("department")  # type: ignore[union-attr]
    )
    departments = [m.department for m in memberships if acts_in(request.user, ADD, m.department_id)]
    if not departments:
        raise PermissionDenied
    form = forms.StaffIntakeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            sub = services.Submission(
                kind=d["kind"],
                topic=d["topic"],
                summary=d["summary"],
                subject_name=d["subject_name"],
                subject_address=d["subject_address"],
                region_code=d["region_code"],
                occurred_on=d["occurred_on"],
                products=d["products"],
                is_anonymous=d["is_anonymous"],
                name=d["name"],
                phone=d["phone"],
                email=d["email"],
                address=d["address"],
            )
            try:
                receipt = services.receive_by_staff(
                    sub,
                    actor=request.user,
                    channel=d["channel"],
                    department=departments[0],
                    source_department=d["source_department"],
                    external_reference=d["external_reference"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return render(
                    request,
                    "complaints/complaint_created.html",
                    {"receipt": receipt, "c": receipt.complaint},
                )
        status = UNPROCESSABLE
    return render(request, "complaints/complaint_form.html", {"form": form}, status=status)


@require_GET
def case_panel(request: HttpRequest, case_public_id: str) -> HttpResponse:
    """Fragment for the case page: the report behind the case (number and link only)."""
    case = get_case_for_user(request.user, case_public_id)
    rows = selectors.complaints_visible_to(request.user).filter(case=case)
    return render(request, "complaints/case_panel.html", {"case": case, "rows": rows})

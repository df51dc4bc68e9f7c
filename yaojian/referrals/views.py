"""Referral pages: list, detail with clocks and the step forms, the case panel, the bundle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from yaojian.accounts.models import User
from yaojian.core import sorting
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import is_partial, template_for
from yaojian.enforcement.selectors import get_case_for_user
from yaojian.referrals import clocks, exports, forms, selectors, services
from yaojian.referrals.choices import ACTIONS, OPEN_STATES, ReferralAction
from yaojian.referrals.models import Referral

# action -> permission action on the referral (visible_to)
WHO = {"head": "approve", "agency": "change", "police": "answer"}


REFERRAL_SORTS = {
    "case": "case__number",
    "crime": "suspected_crime",
    "department": "department__name",
    "police": "police_department__name",
    "state": "state",
}


def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals of my department and referrals addressed to my police department."""
    referrals = list(
        sorting.sort(request, selectors.referrals_visible_to(request.user), REFERRAL_SORTS)[:200]
    )
    now = timezone.now()
    rows = []
    for referral in referrals:
        clock = clocks.next_due(referral)
        rows.append(
            {"referral": referral, "clock": clock, "status": clock.status(now) if clock else ""}
        )
    return render(
        request,
        template_for(request, "referrals/referral_list.html", "referral-table"),
        {"rows": rows},
    )


def _forms_for(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    """The step forms the user may use now."""
    available: dict[str, Any] = {}
    for action, (states, who) in ACTIONS.items():
        if referral.state in states and selectors.can(request.user, referral, WHO[who]):
            available[action] = _blank_form(action, referral)
    return available


def _blank_form(action: str, referral: Referral, data: Any = None) -> Any:
    if action == ReferralAction.DECIDE:
        return forms.DecideForm(data, police=selectors.police_departments_for(referral.case))
    if action == ReferralAction.FORWARD:
        return forms.ForwardForm(data, police=selectors.other_police_departments(referral))
    return FORMS[action](data)


FORMS: dict[str, Any] = {
    ReferralAction.TRANSFER: forms.TransferForm,
    ReferralAction.RECEIPT: forms.ReceiptForm,
    ReferralAction.ANSWER: forms.AnswerForm,
    ReferralAction.REQUEST_RECONSIDERATION: forms.ReconsiderationRequestForm,
    ReferralAction.DECIDE_RECONSIDERATION: forms.ReconsiderationDecisionForm,
    ReferralAction.REQUEST_SUPERVISION: forms.SupervisionForm,
    ReferralAction.HAND_OVER: forms.HandOverForm,
}

CALLS: dict[str, Callable[..., Referral]] = {
    ReferralAction.DECIDE: lambda actor, r, d: services.decide_referral(
        actor=actor,
        referral=r,
        approve=d["approve"],
        reasons=d["reasons"],
        police_department=d["police_department"],
    ),
    ReferralAction.TRANSFER: lambda actor, r, d: services.transfer_referral(
        actor=actor, referral=r, attachments=d["attachments"].splitlines()
    ),
    ReferralAction.RECEIPT: lambda actor, r, d: services.receive_referral(
        actor=actor, referral=r, complexity=d["complexity"], approval=d["approval"]
    ),
    ReferralAction.FORWARD: lambda actor, r, d: services.forward_referral(
        actor=actor, referral=r, to_department=d["to_department"], reasons=d["reasons"]
    ),
    ReferralAction.ANSWER: lambda actor, r, d: services.answer_referral(
        actor=actor,
        referral=r,
        accept=d["accept"],
        reasons=d["reasons"],
        police_case_number=d["police_case_number"],
    ),
    ReferralAction.REQUEST_RECONSIDERATION: lambda actor, r, d: services.request_reconsideration(
        actor=actor, referral=r, reasons=d["reasons"]
    ),
    ReferralAction.DECIDE_RECONSIDERATION: lambda actor, r, d: services.decide_reconsideration(
        actor=actor, referral=r, accept=d["accept"], reasons=d["reasons"]
    ),
    ReferralAction.REQUEST_SUPERVISION: lambda actor, r, d: services.request_supervision(
        actor=actor, referral=r, procuratorate=d["procuratorate"], note=d["note"]
    ),
    ReferralAction.HAND_OVER: lambda actor, r, d: services.hand_over(
        actor=actor, referral=r, note=d["note"]
    ),
}


def _detail_context(request: HttpRequest, referral: Referral, **override: Any) -> dict[str, Any]:
    now = timezone.now()
    step_forms = _forms_for(request, referral)
    step_forms.update(override)
    return {
        "referral": referral,
        "clocks": [(c, c.status(now)) for c in clocks.referral_clocks(referral)],
        "steps": referral.steps.select_related("actor", "department").all(),
        "step_forms": step_forms,
        "action_labels": {"report": _("Transfer report written"), **dict(ReferralAction.choices)},
        "team": referral.team.all(),
    }


def referral_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One referral: where it stands, its clocks, its steps and the forms for the next step."""
    referral = selectors.get_referral_for_user(request.user, public_id)
    return render(request, "referrals/referral_detail.html", _detail_context(request, referral))


@require_POST
def referral_step(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    """Take one step (POST); 422 with the errors in place."""
    referral = selectors.get_referral_for_user(request.user, public_id)
    if action not in ACTIONS:
        raise Referral.DoesNotExist
    if not selectors.can(request.user, referral, WHO[ACTIONS[action][1]]):
        raise PermissionDenied
    form = _blank_form(action, referral, request.POST)
    if form.is_valid():
        try:
            CALLS[action](request.user, referral, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("referrals:referral_detail", public_id=referral.public_id)
    referral.refresh_from_db()
    context = _detail_context(request, referral, **{action: form})
    return render(request, "referrals/referral_detail.html", context, status=UNPROCESSABLE)


def referral_create(request: HttpRequest, case_public_id: str) -> HttpResponse:
    """Write the transfer report of a case (team of at least two officers)."""
    case = get_case_for_user(request.user, case_public_id, action="change")
    members = User.objects.filter(
        memberships__department_id=case.department_id, memberships__is_active=True
    ).distinct()
    form = forms.CreateForm(request.POST or None, members=members)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.create_referral(
                    actor=request.user,
                    case=case,
                    suspected_crime=form.cleaned_data["suspected_crime"],
                    report=form.cleaned_data["report"],
                    team=list(form.cleaned_data["team"]),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("referrals:referral_detail", public_id=referral.public_id)
        status = UNPROCESSABLE
    return render(
        request, "referrals/referral_form.html", {"form": form, "case": case}, status=status
    )


@require_GET
def case_panel(request: HttpRequest, case_public_id: str) -> HttpResponse:
    """Fragment for the case page (htmx lazy load): the case's referrals and their clocks."""
    case = get_case_for_user(request.user, case_public_id)
    now = timezone.now()
    referrals = list(selectors.referrals_of_case(request.user, case))
    rows = []
    for referral in referrals:
        clock = clocks.next_due(referral)
        rows.append(
            {"referral": referral, "clock": clock, "status": clock.status(now) if clock else ""}
        )
    has_open = any(r.state in OPEN_STATES for r in referrals)
    can_create = not has_open and services._acts_in(
        request.user, "referrals.add_referral", case.department_id
    )
    return render(
        request,
        "referrals/case_panel.html",
        {"case": case, "rows": rows, "has_open": has_open, "can_create": can_create},
    )


@require_GET
def referral_bundle(request: HttpRequest, public_id: str) -> HttpResponse:
    """The evidence bundle (zip) for the referring department and the police addressed."""
    referral = selectors.get_referral_for_user(request.user, public_id)
    content = exports.export_bundle(actor=request.user, referral=referral)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="referral-{referral.public_id}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


__all__ = ["is_partial"]

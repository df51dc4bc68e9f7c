"""The public complaint and report pages (no login): the forms, the receipt, tracking with the
query code, the reward claim, the entity search and the public outcomes. The complaints app
validates, records and decides what may be shown."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from yaojian.complaints import challenge, selectors, services
from yaojian.complaints.choices import Kind, OutcomeKind
from yaojian.core import request_context
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.tables import columns
from yaojian.portal.complaint_forms import ClaimForm, NoticeForm, PublicComplaintForm, TrackForm

TOO_MANY = 429
OUTCOME_COLUMNS = columns(
    ("county", _("County")),
    ("received", pgettext_lazy("count", "Received")),
    ("accepted", _("Accepted")),
    ("on_time", _("Decided on time")),
    ("outcomes", _("Outcomes")),
)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _client(request: HttpRequest) -> str:
    return request_context.current().ip_address or request.META.get("REMOTE_ADDR", "")


def _form_page(
    request: HttpRequest, kind: str, form: PublicComplaintForm, status: int = 200, message: str = ""
) -> HttpResponse:
    question = challenge.new_challenge()
    if form.is_bound:
        data = form.data.copy()  # type: ignore[attr-defined]
        data["challenge_token"] = question.token
        data["challenge_answer"] = ""
        form.data = data
    else:
        form.initial["challenge_token"] = question.token
    context = {
        "form": form,
        "kind": kind,
        "question": question.question,
        "message": message,
        "entities": [],
        # An empty form's fields are cached per kind, language and county list (template).
        "fields_key": "" if form.is_bound else selectors.county_choices_key(),
    }
    return _no_store(render(request, "portal/complaint_form.html", context, status=status))


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def complaint_new(request: HttpRequest, kind: str) -> HttpResponse:
    """The complaint form (``complaint``) or the report form (``report``)."""
    if kind not in Kind.values:
        raise Http404
    if request.method != "POST":
        return _form_page(request, kind, PublicComplaintForm(kind=kind))
    form = PublicComplaintForm(request.POST, request.FILES, kind=kind)
    if not form.is_valid():
        return _form_page(request, kind, form, UNPROCESSABLE)
    d = form.cleaned_data
    if d.get("website"):  # the hidden honeypot: a robot filled it
        return _form_page(request, kind, PublicComplaintForm(kind=kind), UNPROCESSABLE)
    sub = services.Submission(
        kind=kind,
        topic=d["topic"],
        summary=d["summary"],
        subject_name=d["subject_name"],
        entity_public_id=d["entity"],
        subject_address=d["subject_address"],
        region_code=d["region_code"],
        is_ecommerce=d["is_ecommerce"],
        platform_name=d["platform_name"],
        platform_region_code=d["platform_region_code"],
        against_platform=d["against_platform"],
        occurred_on=d["occurred_on"],
        products=d["products"],
        is_anonymous=bool(d.get("is_anonymous")),
        name=d["name"],
        phone=d["phone"],
        email=d["email"],
        address=d["address"],
        files=d["attachments"],
    )
    try:
        receipt = services.submit_public(
            sub,
            client_address=_client(request),
            challenge_token=d["challenge_token"],
            challenge_answer=d["challenge_answer"],
        )
    except services.ThrottledError as exc:
        return _form_page(request, kind, form, TOO_MANY, message=str(exc))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _form_page(request, kind, form, UNPROCESSABLE)
    return _no_store(
        render(
            request, "portal/complaint_receipt.html", {"receipt": receipt, "c": receipt.complaint}
        )
    )


@login_not_required
@require_safe
def entity_search(request: HttpRequest) -> HttpResponse:
    """Matching business names (an htmx fragment of radio buttons inside the form)."""
    entities = selectors.search_public_entities(request.GET.get("entity_q", ""))
    return render(request, "portal/complaint_entities.html", {"entities": entities})


def _track_context(complaint: Any) -> dict[str, Any]:
    return {
        "c": complaint,
        "steps": selectors.timeline(complaint, public=True),
        "reward": selectors.reward_of(complaint),
        "notices": selectors.notices_of(complaint),
    }


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Follow a submission with its tracking number and query code. A wrong code answers
    exactly like an unknown number."""
    form = TrackForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "not_found": False}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.find_for_tracking(
                form.cleaned_data["number"],
                form.cleaned_data["code"],
                client_address=_client(request),
            )
        except services.ThrottledError as exc:
            context["message"] = str(exc)
            return _no_store(
                render(request, "portal/complaint_track.html", context, status=TOO_MANY)
            )
        if complaint is None:
            context["not_found"] = True
        else:
            if complaint.is_report and complaint.opening_decided_on:
                services.record_reporter_told(actor=None, complaint=complaint)
            context.update(_track_context(complaint))
            context["claim_form"] = ClaimForm(initial=form.cleaned_data)
    return _no_store(render(request, "portal/complaint_track.html", context, status=status))


@login_not_required
@require_http_methods(["POST"])
def claim(request: HttpRequest) -> HttpResponse:
    """Claim an approved reward with the query code."""
    form = ClaimForm(request.POST)
    context: dict[str, Any] = {"form": TrackForm(request.POST), "not_found": False}
    status = 200
    if not form.is_valid():
        context["not_found"] = True
        return _no_store(render(request, "portal/complaint_track.html", context, status=422))
    try:
        complaint = services.find_for_tracking(
            form.cleaned_data["number"],
            form.cleaned_data["code"],
            client_address=_client(request),
        )
    except services.ThrottledError as exc:
        context["message"] = str(exc)
        return _no_store(render(request, "portal/complaint_track.html", context, status=TOO_MANY))
    if complaint is None:
        context["not_found"] = True
        return _no_store(render(request, "portal/complaint_track.html", context))
    try:
        services.claim_reward(complaint=complaint, payee_account=form.cleaned_data["payee_account"])
    except ValidationError as exc:
        add_service_errors(form, exc)
        status = UNPROCESSABLE
    context.update(_track_context(complaint))
    context["claim_form"] = form
    return _no_store(render(request, "portal/complaint_track.html", context, status=status))


@login_not_required
@require_http_methods(["POST"])
def notice(request: HttpRequest) -> HttpResponse:
    """The complainant downloads the acceptance or refusal notice with the tracking number and
    the query code (a wrong code answers like an unknown number; failures rate-limited)."""
    form = NoticeForm(request.POST)
    context: dict[str, Any] = {"form": TrackForm(request.POST), "not_found": True}
    if not form.is_valid():
        return _no_store(render(request, "portal/complaint_track.html", context, status=404))
    try:
        complaint = services.find_for_tracking(
            form.cleaned_data["number"],
            form.cleaned_data["code"],
            client_address=_client(request),
        )
    except services.ThrottledError as exc:
        context.update(message=str(exc), not_found=False)
        return _no_store(render(request, "portal/complaint_track.html", context, status=TOO_MANY))
    row = (
        selectors.notices_of(complaint).filter(public_id=form.cleaned_data["notice"]).first()
        if complaint is not None
        else None
    )
    if row is None:
        return _no_store(render(request, "portal/complaint_track.html", context, status=404))
    row = selectors.notice_with_content(row.pk)
    services.record_notice_read(actor=None, notice=row, by_complainant=True)
    response = HttpResponse(bytes(row.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{row.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


@login_not_required
@require_safe
def outcomes(request: HttpRequest) -> HttpResponse:
    """Numbers per county and the outcomes published (masked)."""
    figures = selectors.public_figures()
    labels = dict(OutcomeKind.choices)
    rows = [
        {"f": f, "outcomes": [(str(labels.get(k, k)), n) for k, n in sorted(f.outcomes.items())]}
        for f in figures
    ]
    context = {
        "rows": rows,
        "columns": OUTCOME_COLUMNS,
        "published": selectors.published_outcomes(),
    }
    return render(request, "portal/complaint_outcomes.html", context)

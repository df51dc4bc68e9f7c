"""Pages of the traceability app: alerts, a pack's chain of custody, hubs, ingest, public check."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yaojian.jobs import services as jobs
from yaojian.traceability import selectors, services
from yaojian.traceability.choices import AlertStatus, CloseReason, Rule
from yaojian.traceability.engine.codes import parse_trace_code
from yaojian.traceability.engine.explain import when
from yaojian.traceability.models import Alert, IngestBatch

EVENT_LABELS = {
    "produce": "produced",
    "ship": "shipped",
    "receive": "received",
    "dispense": "dispensed",
    "reverse": "reversed",
}


def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = selectors.alerts_for_user(request.user)
    status = request.GET.get("status", "")
    if status in AlertStatus.values:
        alerts = alerts.filter(status=status)
    rule = request.GET.get("rule", "")
    if rule in Rule.values:
        alerts = alerts.filter(rule=rule)
    return render(
        request,
        "traceability/alert_list.html",
        {
            "alerts": alerts[:200],
            "statuses": AlertStatus.choices,
            "status": status,
            "rates": selectors.false_positive_rates(request.user),
        },
    )


def _alert(request: HttpRequest, public_id: uuid.UUID) -> Alert:
    try:
        return selectors.get_alert_for_user(request.user, public_id)
    except Alert.DoesNotExist as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
def alert_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    alert = _alert(request, public_id)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "clue":
                case = services.alert_to_clue(actor=request.user, alert=alert)
                messages.success(request, _("The alert is now an enforcement clue."))
                return redirect("enforcement:case_detail", public_id=case.public_id)
            services.transition_alert(
                actor=request.user,
                alert=alert,
                to_status=action,
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
            )
            return redirect("traceability:alert_detail", public_id=alert.public_id)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            status = 403
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
            status = 422
        alert.refresh_from_db()
    return render(
        request,
        "traceability/alert_detail.html",
        {
            "alert": alert,
            "events": alert.events.all(),
            "next": [s for s in AlertStatus if s in _next(alert)],
            "reasons": CloseReason.choices,
        },
        status=status,
    )


def _next(alert: Alert) -> frozenset[str]:
    from yaojian.traceability.choices import ALERT_TRANSITIONS

    return ALERT_TRANSITIONS[alert.status]


def pack_detail(request: HttpRequest) -> HttpResponse:
    """A pack's chain of custody; the events flagged by a visible alert are marked."""
    raw = request.GET.get("code", "")
    parsed = parse_trace_code(raw)
    if not parsed.key:
        raise Http404
    flagged = {
        (f["code"], a.party_uscc): a
        for a in selectors.alerts_for_user(request.user).filter(flags__icontains=parsed.key[:20])
        for f in a.flags
        if f.get("code") == parsed.key
    }
    if not flagged and not request.user.is_superuser:
        raise Http404
    timeline = []
    for event in services.store().events_of(parsed.key):
        alert = flagged.get((parsed.key, event["party"]))
        timeline.append(
            {
                **event,
                "when": when(event["ts"]),
                "label": EVENT_LABELS.get(event["event_type"], event["event_type"]),
                "alert": alert if event["event_type"] == "dispense" else None,
            }
        )
    return render(
        request, "traceability/pack_detail.html", {"code": parsed.key, "timeline": timeline}
    )


def hub_list(request: HttpRequest) -> HttpResponse:
    hubs = selectors.hubs(request.user)
    return render(
        request,
        "traceability/hubs.html",
        {"hubs": hubs, "network": selectors.hub_network(request.user, hubs[:5])},
    )


def institution_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    """One institution: its flagged packs and its buyers, ranked by flags."""
    alerts = list(selectors.alerts_for_user(request.user).filter(party_uscc=uscc))
    if not alerts:
        raise Http404
    packs: dict[str, int] = {}
    buyers: dict[str, int] = {}
    for alert in alerts:
        for flag in alert.flags:
            if flag.get("code"):
                packs[flag["code"]] = packs.get(flag["code"], 0) + 1
            if flag.get("insured"):
                buyers[flag["insured"]] = buyers.get(flag["insured"], 0) + 1
    return render(
        request,
        "traceability/institution.html",
        {
            "uscc": uscc,
            "alerts": alerts,
            "packs": sorted(packs.items(), key=lambda kv: (-kv[1], kv[0]))[:100],
            "buyers": sorted(buyers.items(), key=lambda kv: (-kv[1], kv[0]))[:100],
        },
    )


@require_http_methods(["GET", "POST"])
def batch_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.is_superuser and not any(
            m.department_kind in services.HANDLERS for m in services.scope_for(request.user).members
        ):
            raise PermissionDenied
        files = request.FILES.getlist("files")
        if not files:
            messages.error(request, _("Choose one or more Parquet or CSV files."))
            return redirect("traceability:batch_list")
        folder = Path(settings.VAR_DIR) / "trace-uploads" / uuid.uuid4().hex
        folder.mkdir(parents=True)
        for upload in files:
            name = Path(upload.name or "upload").name
            if Path(name).suffix.lower() not in (".parquet", ".csv"):
                continue
            with (folder / name).open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
        job = jobs.start_job(
            actor=request.user, kind="traceability.ingest", title=_("Trace-event ingest")
        )

        def body(job: Any) -> tuple[dict[str, Any], str]:
            def progress(stage: str, done: int, total: int) -> None:
                jobs.report_progress(job, done=done, total=total, message=stage)

            batch, _created = services.ingest_folder(
                actor=request.user, folder=folder, source="upload", on_progress=progress
            )
            return {"batch": str(batch.public_id), "stored": batch.accepted}, ""

        jobs.run_job(job.pk, body)
        return (
            redirect("jobs:job_list")
            if _has_url("jobs:job_list")
            else redirect("traceability:batch_list")
        )
    return render(
        request, "traceability/batch_list.html", {"batches": IngestBatch.objects.all()[:100]}
    )


def _has_url(name: str) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


@login_not_required
def public_check(request: HttpRequest) -> HttpResponse:
    """NHSA's three answers for anyone holding a pack: not found / sold once / sold twice or more."""
    raw = request.GET.get("code", "").strip()
    answer = ""
    if raw:
        parsed = parse_trace_code(raw)
        state = services.store().code_state(parsed.key) if parsed.key else None
        count = state["settlements"] if state else 0
        answer = "none" if count == 0 else "once" if count == 1 else "many"
    return render(request, "traceability/public_check.html", {"code": raw, "answer": answer})

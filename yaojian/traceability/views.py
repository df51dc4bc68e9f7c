"""Pages of the traceability app: alerts, a pack's chain of custody, hubs, ingest, public check."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseStopPolling

from yaojian.core import sorting, tables
from yaojian.core.htmx import is_partial, template_for
from yaojian.territory.selectors import region_names
from yaojian.traceability import forms, reasons, selectors, services
from yaojian.traceability.choices import AlertStatus, BatchStatus, Rule
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


PAGE_SIZE = 50
ALERT_SORTS = {
    "rule": "rule",
    "institution": "party_uscc",
    "region": "region__code",
    "flags": "flag_count",
    "status": "status",
    "created": "created_at",
}
BATCH_SORTS = {
    "key": "idempotency_key",
    "status": "status",
    "rows": "rows",
    "stored": "accepted",
    "rejected": "rejected",
    "created": "created_at",
}
HUB_SORTS = ("party", "flags", "persons")

ALERT_COLUMNS = tables.columns(
    ("rule", gettext_lazy("Rule"), True),
    ("institution", gettext_lazy("Institution"), True),
    ("region", gettext_lazy("Region"), True),
    ("flags", gettext_lazy("Flags"), True),
    ("status", gettext_lazy("Status"), True),
    ("created", gettext_lazy("Raised"), True),
)
RATE_COLUMNS = tables.columns(
    ("rule", gettext_lazy("Rule")),
    ("source", gettext_lazy("Source")),
    ("closed", gettext_lazy("Closed")),
    ("false_positive", gettext_lazy("False positives")),
    ("rate", gettext_lazy("Rate")),
)
FLAG_COLUMNS = tables.columns(
    ("code", gettext_lazy("Pack")),
    ("insured", gettext_lazy("Insured person")),
    ("at", gettext_lazy("When")),
    ("detail", gettext_lazy("Explanation")),
)
HUB_COLUMNS = tables.columns(
    ("party", gettext_lazy("Institution"), True),
    ("flags", gettext_lazy("Flags"), True),
    ("rules", gettext_lazy("Rules")),
    ("persons", gettext_lazy("Insured persons"), True),
)
PACK_COLUMNS = tables.columns(("code", gettext_lazy("Pack")), ("n", gettext_lazy("Flags")))
BUYER_COLUMNS = tables.columns(
    ("insured", gettext_lazy("Insured person")), ("n", gettext_lazy("Flags"))
)
BATCH_COLUMNS = tables.columns(
    ("key", gettext_lazy("Key"), True),
    ("status", gettext_lazy("Status"), True),
    ("rows", gettext_lazy("Rows"), True),
    ("stored", gettext_lazy("Stored"), True),
    ("rejected", gettext_lazy("Rejected"), True),
    ("duplicates", gettext_lazy("Duplicates")),
    ("new_flags", gettext_lazy("New flags")),
    ("created", gettext_lazy("Started"), True),
)
REJECTED_COLUMNS = tables.columns(
    ("file", gettext_lazy("File")),
    ("row", gettext_lazy("Row")),
    ("event_id", "event_id"),
    ("trace_code", "trace_code"),
    ("reasons", gettext_lazy("Reasons")),
)


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def alert_list(request: HttpRequest) -> HttpResponse:
    form = forms.AlertFilterForm(request.GET or None)
    alerts = selectors.alerts_for_user(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"].strip():
            alerts = alerts.filter(party_uscc__startswith=data["q"].strip().upper())
        if data["rule"]:
            alerts = alerts.filter(rule=data["rule"])
        if data["status"]:
            alerts = alerts.filter(status=data["status"])
    page = _page(request, sorting.sort(request, alerts.order_by("-created_at", "-id"), ALERT_SORTS))
    return render(
        request,
        template_for(request, "traceability/alert_list.html", "alert-table"),
        {
            "form": form,
            "page_obj": page,
            "columns": ALERT_COLUMNS,
            "rate_columns": RATE_COLUMNS,
            "rate_rows": [
                {"cells": [r["rule"], r["source"], r["closed"], r["false_positive"], r["rate"]]}
                for r in selectors.false_positive_rates(request.user)
            ],
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
            "flag_columns": FLAG_COLUMNS,
            "action_form": forms.AlertActionForm(request.POST or None),
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
    # Every visible alert on this pack, by institution (R3 and R4 often hold together).
    flagged: dict[str, list[Alert]] = {}
    for a in selectors.alerts_for_user(request.user).filter(flags__icontains=parsed.key[:20]):
        if any(f.get("code") == parsed.key for f in a.flags):
            flagged.setdefault(a.party_uscc, []).append(a)
    if not flagged and not request.user.is_superuser:
        raise Http404
    timeline = []
    events = services.store().events_of(parsed.key)
    names = region_names({e["region"] for e in events if e.get("region")})
    for event in events:
        alerts = flagged.get(event["party"], []) if event["event_type"] == "dispense" else []
        timeline.append(
            {
                **event,
                "region_name": names.get(event.get("region") or "", ""),
                "when": when(event["ts"]),
                "label": EVENT_LABELS.get(event["event_type"], event["event_type"]),
                "alerts": sorted(alerts, key=lambda a: a.rule),
            }
        )
    return render(
        request, "traceability/pack_detail.html", {"code": parsed.key, "timeline": timeline}
    )


def hub_list(request: HttpRequest) -> HttpResponse:
    form = forms.HubFilterForm(request.GET or None)
    hubs = selectors.hubs(request.user, limit=None)
    top = hubs[:5]
    if form.is_valid():
        q = form.cleaned_data["q"].strip().upper()
        rule = form.cleaned_data["rule"]
        hubs = [h for h in hubs if h["party"].startswith(q) and (not rule or rule in h["rules"])]
    asked = sorting.requested(request, {key: key for key in HUB_SORTS})
    if asked is not None:
        key, descending = asked
        hubs = sorted(hubs, key=lambda h: (h[key], h["party"]), reverse=descending)
    # The rules in words, and the network's node kinds in the reader's language.
    hubs = [{**h, "rule_names": [Rule(r).label for r in h["rules"]]} for h in hubs]
    network = {
        **selectors.hub_network(request.user, top),
        "categories": [str(_("Institution")), str(_("Insured person")), str(_("Pack"))],
    }
    return render(
        request,
        template_for(request, "traceability/hubs.html", "hub-table"),
        {
            "form": form,
            "page_obj": _page(request, hubs),
            "columns": HUB_COLUMNS,
            "network": network,
        },
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
            "pack_columns": PACK_COLUMNS,
            "buyers": [
                {"cells": [person, n]}
                for person, n in sorted(buyers.items(), key=lambda kv: (-kv[1], kv[0]))[:100]
            ],
            "buyer_columns": BUYER_COLUMNS,
        },
    )


@require_http_methods(["GET", "POST"])
def batch_list(request: HttpRequest) -> HttpResponse:
    """The ingested batches; POST uploads files and starts their ingest as a job."""
    if request.method == "POST":
        try:
            batch = services.start_upload_ingest(
                actor=request.user, files=request.FILES.getlist("files")
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("traceability:batch_list")
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
            return redirect("traceability:batch_list")
        if batch.status == BatchStatus.QUEUED:
            messages.success(
                request,
                _("The files are saved; their ingest runs as a job. Follow its progress here."),
            )
        else:
            messages.info(request, _("These files were ingested before; nothing was done."))
        return redirect("traceability:batch_detail", public_id=batch.public_id)
    form = forms.BatchFilterForm(request.GET or None)
    batches = IngestBatch.objects.select_related("job")
    if form.is_valid():
        if form.cleaned_data["q"].strip():
            batches = batches.filter(idempotency_key__startswith=form.cleaned_data["q"].strip())
        if form.cleaned_data["status"]:
            batches = batches.filter(status=form.cleaned_data["status"])
    page = _page(
        request, sorting.sort(request, batches.order_by("-created_at", "-id"), BATCH_SORTS)
    )
    return render(
        request,
        template_for(request, "traceability/batch_list.html", "batch-table"),
        {
            "form": form,
            "page_obj": page,
            "columns": BATCH_COLUMNS,
            "upload_form": forms.UploadForm(),
        },
    )


REJECTED_SHOWN = 200


@require_http_methods(["GET", "POST"])
def batch_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One batch: its job's progress, refused files and rejected rows with reasons; retry."""
    batch = selectors.batch_for_uploader(request.user, public_id)
    if batch is None:
        raise Http404
    if request.method == "POST":
        try:
            batch = services.retry_ingest(actor=request.user, batch=batch)
            messages.success(request, _("The ingest was started again."))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        return redirect("traceability:batch_detail", public_id=batch.public_id)
    if is_partial(request):  # the progress, polled while the batch is queued or running
        response = render(request, "traceability/batch_detail.html#batch-status", _batch_ctx(batch))
        if batch.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING):
            response.status_code = HttpResponseStopPolling.status_code
        return response
    return render(request, "traceability/batch_detail.html", _batch_ctx(batch))


def _batch_ctx(batch: IngestBatch) -> dict[str, Any]:
    refused = [
        reasons.file_reason(f.get("code", ""), f.get("params") or {}, f.get("error", ""))
        for f in batch.refused_files
    ]
    return {
        "batch": batch,
        "refused": refused,
        "rejected": _rejected_rows(batch, REJECTED_SHOWN),
        "shown": REJECTED_SHOWN,
        "rejected_columns": REJECTED_COLUMNS,
        "can_retry": services.batch_can_retry(batch),
    }


def _rejected_rows(batch: IngestBatch, limit: int) -> list[dict[str, Any]]:
    """The first rejected rows of the batch's report, their reasons in the reader's language."""
    import csv
    import itertools

    path = Path(batch.rejected_file) if batch.rejected_file else None
    if path is None or not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(itertools.islice(csv.DictReader(handle), limit))
    return [
        {
            "file": row["file"],
            "row": row["row"],
            "event_id": row.get("event_id", ""),
            "trace_code": row.get("trace_code", "") or row.get("raw_line", ""),
            "reasons": [reasons.row_reason(c) for c in row["reason_codes"].split(";") if c],
        }
        for row in rows
    ]


def batch_rejected_download(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    """The batch's rejected rows as sent, with reasons (CSV); audited (it holds pseudonyms)."""
    batch = selectors.batch_for_uploader(request.user, public_id)
    if batch is None or not batch.rejected_file or not Path(batch.rejected_file).is_file():
        raise Http404
    services.record_rejected_download(actor=request.user, batch=batch)
    return FileResponse(
        Path(batch.rejected_file).open("rb"),
        as_attachment=True,
        filename=f"rejected-{batch.idempotency_key[:12]}.csv",
        content_type="text/csv; charset=utf-8",
    )


@login_not_required
def public_check(request: HttpRequest) -> HttpResponse:
    """NHSA's three answers for anyone holding a pack: not found / sold once / sold twice or more."""
    raw = request.GET.get("code", "").strip()[:120]
    answer = invalid = ""
    if raw:
        parsed = parse_trace_code(raw)
        if not parsed.key:
            invalid = reasons.row_reason(parsed.reason)
        else:
            state = services.store().code_state(parsed.key)
            count = state["settlements"] if state else 0
            answer = "none" if count == 0 else "once" if count == 1 else "many"
    return render(
        request,
        "traceability/public_check.html",
        {
            "code": raw,
            "answer": answer,
            "invalid": invalid,
            "form": forms.CodeCheckForm(initial={"code": raw}),
        },
    )

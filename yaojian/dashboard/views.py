"""Pages of the dashboard app: the first page (工作台), the leadership dashboard (驾驶舱) with its
workbook and briefing, and starting a list export."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from yaojian.accounts.scoping import has_permission
from yaojian.core.forms import SearchForm
from yaojian.core.workbench import dashboard_figures
from yaojian.dashboard import briefing, exports, selectors, services
from yaojian.dashboard.forms import IndicatorForm
from yaojian.dashboard.models import Snapshot
from yaojian.dashboard.scope import DashboardScope, dashboard_scope, may_view_dashboard
from yaojian.jobs.tables import ENCODINGS, FORMATS
from yaojian.territory.codes import subtree_prefix
from yaojian.territory.models import Region

UNPROCESSABLE = 422
FIGURES_CACHE_SECONDS = 20 * 60


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The first page: what waits for this person now, the most urgent first."""
    context = selectors.workbench(request.user)
    context["can_dashboard"] = may_view_dashboard(request.user)
    context["search_form"] = SearchForm(auto_id="workbench-%s")
    return render(request, "dashboard/home.html", context)


def _scope(request: HttpRequest) -> DashboardScope:
    if not may_view_dashboard(request.user):
        raise PermissionDenied
    return dashboard_scope(request.user, request.GET.get("region", "").strip()[:12])


def _snapshot(scope: DashboardScope) -> Snapshot:
    """The stored figures; computed now the first time a region is looked at."""
    snapshot = selectors.snapshot_for(scope, with_figures=False)
    if snapshot is None:
        snapshot = services.refresh_snapshot(actor=None, scope=scope)
    services.mark_viewed(snapshot)
    return snapshot


def _trail(scope: DashboardScope) -> list[Region]:
    """The regions from the user's top region down to the one shown (the drill-down path)."""
    code = scope.region.code
    home = subtree_prefix(scope.home_code)
    codes: list[str] = []
    for candidate in (code[:2] + "0000", code[:4] + "00", code):
        prefix = subtree_prefix(candidate)
        if prefix.startswith(home) and candidate not in codes:
            codes.append(candidate)
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [regions[c] for c in codes if c in regions]


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The region's figures as charts and tables, a map of its counties, the freshness.

    The figure cards are rendered once per snapshot (``_figures_html``); while that fragment
    is cached, the snapshot's figures (the big JSON column) are not even read."""
    scope = _scope(request)
    snapshot = _snapshot(scope)
    indicators = [f for f in dashboard_figures.all() if f.map_indicator]
    indicator = request.GET.get("indicator", "")
    if indicator not in {f.key for f in indicators}:
        indicator = indicators[0].key if indicators else ""
    context = {
        "scope": scope,
        "snapshot": snapshot,
        "figures_html": _figures_html(request.user, snapshot, scope, indicator),
        "indicators": indicators,
        "indicator": indicator,
        "indicator_form": IndicatorForm(initial={"indicator": indicator}, indicators=indicators),
        "trail": _trail(scope),
        "age_minutes": int((timezone.now() - snapshot.computed_at).total_seconds() // 60),
        "key_numbers": _key_numbers(snapshot),
    }
    return render(request, "dashboard/dashboard.html", context)


def _payload(scope: DashboardScope, indicator: str, figures: list[dict[str, Any]]) -> Any:
    """What dashboard.js draws: the charts' rows, the map's boundaries and indicator."""
    province = scope.region.code[:2] + "0000"
    return {
        "region": scope.region.code,
        "prefix": scope.prefix,
        "geo": static(f"vendor/geo/{province}.json"),
        "drill": reverse("dashboard:dashboard") + "?region=",
        "indicator": indicator,
        "figures": {
            entry["figure"].key: {
                "chart": entry["figure"].chart,
                "title": str(entry["figure"].title),
                "rows": entry["data"].get("rows", []),
            }
            for entry in figures
        },
    }


def _snapshot_cache_key(snapshot: Snapshot) -> str:
    return f"{snapshot.pk}:{snapshot.key}:{snapshot.computed_at.timestamp()}"


def _needed_permissions(snapshot: Snapshot) -> set[str]:
    """The permissions that the snapshot's figure rows link behind (kept per snapshot)."""
    key = "dashboard:needed:" + _snapshot_cache_key(snapshot)
    needed = cache.get(key)
    if needed is None:
        needed = {
            row["permission"]
            for entry in selectors.figures_of(snapshot)
            for row in entry["data"].get("rows", [])
            if row.get("permission")
        }
        cache.set(key, needed, FIGURES_CACHE_SECONDS)
    return set(needed)


def _without_closed_links(
    user: Any, figures: list[dict[str, Any]], payload: Any
) -> tuple[list[str], list[dict[str, Any]], Any]:
    """The permissions (named by rows' ``permission``) ``user`` holds, and the figures and
    payload with the links of the other rows removed: a figure never links to a 403."""
    needed = {
        row.get("permission")
        for entry in figures
        for row in entry["data"].get("rows", [])
        if row.get("permission")
    }
    held = sorted(p for p in needed if has_permission(user, p))
    if needed <= set(held):
        return held, figures, payload

    def strip(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**row, "url": ""} if row.get("permission") and row["permission"] not in held else row
            for row in rows
        ]

    figures = [
        {**entry, "data": {**entry["data"], "rows": strip(entry["data"].get("rows", []))}}
        for entry in figures
    ]
    payload = {
        **payload,
        "figures": {
            key: {**value, "rows": strip(value["rows"])}
            for key, value in payload["figures"].items()
        },
    }
    return held, figures, payload


def _figures_html(user: Any, snapshot: Snapshot, scope: DashboardScope, indicator: str) -> str:
    """The figure cards and their data, rendered once per snapshot, language, indicator and
    the permissions that open the figures' links.

    The figures change only when the snapshot is recomputed, so each server process keeps the
    rendered fragment (Django's cache) under a key naming the snapshot's computation; the
    snapshot's figures are read only to render it.
    """
    held = sorted(p for p in _needed_permissions(snapshot) if has_permission(user, p))
    key = "dashboard:figures:{}:{}:{}:{}".format(
        _snapshot_cache_key(snapshot), get_language(), indicator, ",".join(held)
    )
    html = cache.get(key)
    if html is None:
        figures = selectors.figures_of(snapshot)
        _, figures, payload = _without_closed_links(
            user, figures, _payload(scope, indicator, figures)
        )
        html = render_to_string("dashboard/_figures.html", {"figures": figures, "payload": payload})
        cache.set(key, html, FIGURES_CACHE_SECONDS)
    return mark_safe(html)


def _key_numbers(snapshot: Snapshot) -> dict[str, Any]:
    return snapshot.summary or services.summarise(snapshot.figures or {})


@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    """Recompute the region's figures now (audited), then show them."""
    scope = _scope(request)
    services.refresh_snapshot(actor=request.user, scope=scope)
    return redirect(reverse("dashboard:dashboard") + f"?region={scope.region.code}")


@require_safe
def workbook(request: HttpRequest) -> HttpResponse:
    """The figures as an XLSX workbook."""
    scope = _scope(request)
    snapshot = _snapshot(scope)
    content = briefing.workbook(snapshot, selectors.figures_of(snapshot), scope.region.name)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="dashboard-{scope.region.code}.xlsx"'
    return response


@require_safe
def briefing_pdf(request: HttpRequest) -> HttpResponse:
    """A printable one-page briefing (PDF) of the figures."""
    scope = _scope(request)
    snapshot = _snapshot(scope)
    content = briefing.briefing_pdf(snapshot, selectors.figures_of(snapshot), scope.region.name)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="briefing-{scope.region.code}.pdf"'
    return response


@require_POST
def export_list(request: HttpRequest) -> HttpResponse:
    """Start exporting a list with the filters it was shown with; then watch the job."""
    data = request.POST
    try:
        job = exports.start_list_export(
            actor=request.user,
            list_name=data.get("list", ""),
            filters={key: data.get(key, "") for key in data},
            file_format=data.get("format", "xlsx"),
            encoding=data.get("encoding", "utf-8-sig"),
        )
    except ValidationError as error:
        return render(
            request,
            "dashboard/export_error.html",
            {"errors": error.messages, "formats": FORMATS, "encodings": ENCODINGS},
            status=UNPROCESSABLE,
        )
    return redirect("jobs:job_detail", public_id=job.public_id)

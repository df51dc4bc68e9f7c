"""The traceability app's figures on the leadership dashboard (registered from ready())."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yaojian.core.workbench import Figure, FigureScope, dashboard_figures
from yaojian.territory.codes import subtree_q
from yaojian.traceability.choices import AlertStatus, Rule
from yaojian.traceability.models import Alert


def _url(**params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("traceability:alert_list") + (f"?{query}" if query else "")


def _alerts(scope: FigureScope) -> Any:
    return Alert.objects.filter(subtree_q("region", scope.prefix))


def open_alerts_by_rule(scope: FigureScope) -> dict[str, Any]:
    counts = dict(
        _alerts(scope)
        .exclude(status=AlertStatus.CLOSED)
        .values_list("rule")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [
        {"key": rule, "label": str(label), "value": counts.get(rule, 0), "url": _url(rule=rule)}
        for rule, label in Rule.choices
    ]
    return {"rows": rows, "total": sum(counts.values())}


def alerts_by_status(scope: FigureScope) -> dict[str, Any]:
    counts = dict(_alerts(scope).values_list("status").annotate(n=Count("id")).order_by())
    rows = [
        {"key": s, "label": str(label), "value": counts.get(s, 0), "url": _url(status=s)}
        for s, label in AlertStatus.choices
    ]
    return {"rows": rows, "total": sum(counts.values())}


def register() -> None:
    dashboard_figures.register(
        Figure(
            key="trace_open_alerts_by_rule",
            title=_("Open traceability alerts by rule"),
            compute=open_alerts_by_rule,
            chart="bar",
            order=80,
        )
    )
    dashboard_figures.register(
        Figure(
            key="trace_alerts_by_status",
            title=_("Traceability alerts by status"),
            compute=alerts_by_status,
            chart="pie",
            order=81,
        )
    )

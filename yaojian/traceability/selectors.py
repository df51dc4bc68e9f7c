"""Reads of the traceability app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from yaojian.traceability import services
from yaojian.traceability.choices import FALSE_POSITIVE_REASONS, AlertStatus
from yaojian.traceability.models import Alert, IngestBatch


def batch_for_uploader(user: Any, public_id: Any) -> IngestBatch | None:
    """The ingest batch ``public_id`` with its job, for a user who may ingest (None otherwise,
    or when there is no such batch: the pages and the API answer 404 alike)."""
    try:
        services.check_uploader(user)
    except PermissionDenied:
        return None
    return IngestBatch.objects.select_related("job").filter(public_id=public_id).first()


def alerts_for_user(user: Any) -> QuerySet[Alert]:
    return Alert.objects.visible_to(user).select_related("region")


def get_alert_for_user(user: Any, public_id: Any) -> Alert:
    return alerts_for_user(user).get(public_id=public_id)


def false_positive_rates(user: Any) -> list[dict[str, Any]]:
    """Closed alerts per (rule, source): how many were false positives."""
    rows = (
        alerts_for_user(user)
        .filter(status=AlertStatus.CLOSED)
        .values("rule", "source")
        .annotate(
            closed=Count("pk"),
            false_positive=Count("pk", filter=Q(close_reason__in=sorted(FALSE_POSITIVE_REASONS))),
        )
        .order_by("rule", "source")
    )
    return [
        {**row, "rate": round(row["false_positive"] / row["closed"], 3) if row["closed"] else 0.0}
        for row in rows
    ]


def hubs(user: Any, limit: int | None = 20) -> list[dict[str, Any]]:
    """Institutions ranked by the flags pointing to them."""
    rows: dict[str, dict[str, Any]] = {}
    for alert in (
        Alert.objects.visible_to(user).only("party_uscc", "rule", "flag_count", "flags").iterator()
    ):
        row = rows.setdefault(
            alert.party_uscc,
            {"party": alert.party_uscc, "flags": 0, "rules": set(), "persons": set()},
        )
        row["flags"] += alert.flag_count
        row["rules"].add(alert.rule)
        row["persons"].update(f["insured"] for f in alert.flags if f.get("insured"))
    ranked = sorted(rows.values(), key=lambda r: (-r["flags"], r["party"]))[:limit]
    return [{**r, "rules": sorted(r["rules"]), "persons": len(r["persons"])} for r in ranked]


def hub_network(user: Any, hubs: list[dict[str, Any]]) -> dict[str, Any]:
    """Nodes and links around the top hubs: institution ↔ insured persons and packs' flags.

    A person links two institutions when both have flags naming that person; ECharts draws it.
    """
    parties = {h["party"] for h in hubs}
    nodes: dict[str, dict[str, Any]] = {}
    links: list[dict[str, str]] = []
    for alert in alerts_for_user(user).filter(party_uscc__in=sorted(parties)):
        nodes.setdefault(alert.party_uscc, {"name": alert.party_uscc, "category": 0, "value": 0})
        nodes[alert.party_uscc]["value"] += alert.flag_count
        for flag in alert.flags[:50]:
            other = flag.get("insured") or flag.get("code")
            if not other:
                continue
            category = 1 if flag.get("insured") else 2
            nodes.setdefault(other, {"name": other, "category": category, "value": 0})
            nodes[other]["value"] += 1
            links.append({"source": alert.party_uscc, "target": other})
    return {"nodes": list(nodes.values())[:300], "links": links[:600]}

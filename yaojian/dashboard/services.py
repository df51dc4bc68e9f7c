"""Writers of the dashboard app: computing a region's snapshot of figures (ADR 0016)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from yaojian.audit.services import record
from yaojian.core.workbench import dashboard_figures
from yaojian.dashboard.models import Snapshot
from yaojian.dashboard.scope import DashboardScope


def compute_figures(scope: DashboardScope) -> dict[str, Any]:
    """Every registered figure for ``scope`` (labels in the default language)."""
    figure_scope = scope.figure_scope()
    result: dict[str, Any] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for figure in dashboard_figures.all():
            result[figure.key] = figure.compute(figure_scope)
    return result


def summarise(figures: dict[str, Any]) -> dict[str, Any]:
    """The key numbers of a region, from its figures (the page's header and the first page)."""

    def total(key: str) -> int:
        return int((figures.get(key) or {}).get("total") or 0)

    penalties = figures.get("penalties_by_kind") or {}
    notices = (figures.get("notices_by_department") or {}).get("rows", [])
    return {
        "entities": total("entities_by_county"),
        "cases": total("cases_by_stage"),
        "overdue_cases": total("overdue_cases_by_county"),
        "fines": penalties.get("fines", "0"),
        "revocations": penalties.get("revocations", 0),
        "overdue_notices": sum(int(r.get("value") or 0) for r in notices),
        "problems": total("problems_by_category"),
    }


def refresh_snapshot(*, actor: Any, scope: DashboardScope) -> Snapshot:
    """Compute the figures of ``scope`` and store them with the time they were computed.

    The queries run outside the write transaction (they may take seconds for a province);
    the row is then written in one short transaction, with an audit event when a person
    asked for the refresh (the periodic job refreshes as the system, unaudited).
    """
    started = time.monotonic()
    figures = compute_figures(scope)
    duration = int((time.monotonic() - started) * 1000)
    with transaction.atomic():
        snapshot, _created = Snapshot.objects.update_or_create(
            key=scope.key,
            defaults={
                "region": scope.region,
                "kinds": ",".join(scope.kinds),
                "figures": figures,
                "summary": summarise(figures),
                "computed_at": timezone.now(),
                "duration_ms": duration,
            },
        )
        if actor is not None:
            record(
                actor=actor,
                action="dashboard.snapshot_refreshed",
                obj=snapshot,
                changes={"region": scope.region.code, "duration_ms": duration},
            )
    return snapshot


def mark_viewed(snapshot: Snapshot) -> None:
    """Remember that someone looked (the periodic job refreshes what is looked at).

    At most one write an hour per snapshot: the page is read far more often than that.
    """
    now = timezone.now()
    if snapshot.last_viewed_at is None or now - snapshot.last_viewed_at > dt.timedelta(hours=1):
        Snapshot.objects.filter(pk=snapshot.pk).update(last_viewed_at=now)

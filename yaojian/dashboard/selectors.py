"""Reads of the dashboard app: the first page's sections and a region's figures."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from yaojian.core.workbench import WorkItem, WorkSection, dashboard_figures, work_sections
from yaojian.dashboard.models import Snapshot
from yaojian.dashboard.scope import DashboardScope

URGENT_SHOWN = 8


def workbench(user: Any) -> dict[str, Any]:
    """The sections that fit the user, most urgent first, and the most urgent items of all."""
    today = timezone.localdate()
    sections = work_sections.sections_for(user, today)
    urgent: list[tuple[WorkSection, WorkItem]] = sorted(
        (
            (section, item)
            for section in sections
            for item in section.items
            if item.level in ("overdue", "due_soon")
        ),
        key=lambda pair: pair[1].rank,
    )[:URGENT_SHOWN]
    return {"sections": sections, "urgent": urgent, "today": today}


def snapshot_for(scope: DashboardScope, *, with_figures: bool = True) -> Snapshot | None:
    """The stored snapshot of ``scope``; ``with_figures=False`` leaves its figures (the large
    JSON column) unread until something asks for them."""
    snapshots = Snapshot.objects.filter(key=scope.key)
    if not with_figures:
        snapshots = snapshots.defer("figures")
    return snapshots.first()


def figures_of(snapshot: Snapshot) -> list[dict[str, Any]]:
    """The registered figures with their stored data (a figure added since: empty)."""
    stored = snapshot.figures or {}
    return [
        {
            "figure": figure,
            "data": stored.get(figure.key) or {"rows": [], "total": 0},
        }
        for figure in dashboard_figures.all()
    ]

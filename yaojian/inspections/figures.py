"""The dashboard figures of inspections (registered in ``apps.ready``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yaojian.core.workbench import Figure, FigureScope, dashboard_figures
from yaojian.inspections.choices import InspectionState, Rating, SampleState, Severity
from yaojian.inspections.models import EntityRating, Finding, Inspection, Sample
from yaojian.territory.codes import subtree_q


def ratings(scope: FigureScope) -> dict[str, Any]:
    counts = dict(
        EntityRating.objects.filter(subtree_q("region", scope.prefix))
        .values_list("rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [
        {
            "key": value,
            "label": str(label),
            "value": counts.get(value, 0),
            "url": reverse("inspections:due_list") if scope.links else "",
        }
        for value, label in Rating.choices
    ]
    return {"rows": rows, "total": sum(counts.values())}


def overdue_by_county(scope: FigureScope) -> dict[str, Any]:
    rows = (
        EntityRating.objects.filter(subtree_q("region", scope.prefix), due_on__lt=scope.today)
        .values_list("region_id", "region__name")
        .annotate(n=Count("pk"))
        .order_by("region_id")
    )
    data = [
        {
            "key": code,
            "label": name,
            "value": n,
            "url": (reverse("inspections:due_list") + f"?region={code}") if scope.links else "",
        }
        for code, name, n in rows
    ]
    return {"rows": data, "total": sum(r["value"] for r in data)}


def results(scope: FigureScope) -> dict[str, Any]:
    inspections = Inspection.objects.filter(
        subtree_q("entity__region", scope.prefix), department_id__in=scope.department_ids
    )
    recorded = inspections.filter(state__in=[InspectionState.RECORDED, InspectionState.PUBLISHED])
    findings = Finding.objects.filter(inspection__in=recorded.values("pk"))
    samples = Sample.objects.filter(
        subtree_q("entity__region", scope.prefix), department_id__in=scope.department_ids
    )
    link = reverse("inspections:inspection_list") if scope.links else ""
    rows = [
        {
            "key": "recorded",
            "label": str(_("Inspections recorded")),
            "value": recorded.count(),
            "url": link,
        },
        {
            "key": "published",
            "label": str(_("Results published")),
            "value": inspections.filter(state=InspectionState.PUBLISHED).count(),
            "url": link,
        },
        {
            "key": "late",
            "label": str(_("Results past the 20 working days")),
            "value": inspections.filter(
                Q(state=InspectionState.RECORDED, publish_due_on__lt=scope.today)
            ).count(),
            "url": link,
        },
        {
            "key": "critical",
            "label": str(_("Critical findings")),
            "value": findings.filter(severity=Severity.CRITICAL).count(),
            "url": link,
        },
        {
            "key": "failed_samples",
            "label": str(_("Failed samples")),
            "value": samples.filter(state=SampleState.FAILED).count(),
            "url": reverse("inspections:sample_list") if scope.links else "",
        },
    ]
    return {"rows": rows, "total": rows[0]["value"]}


def register() -> None:
    dashboard_figures.register(
        Figure("inspections_ratings", _("Entities by risk rating"), ratings, "pie", 70)
    )
    dashboard_figures.register(
        Figure(
            "inspections_overdue",
            _("Entities overdue for inspection, by county"),
            overdue_by_county,
            "bar",
            71,
            map_indicator=True,
        )
    )
    dashboard_figures.register(
        Figure("inspections_results", _("Inspections and sampling"), results, "table", 72)
    )

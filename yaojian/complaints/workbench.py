"""This app's section of the first page (the handlers' clocks) and its dashboard figures,
registered in ``core.workbench`` from ``apps.ready`` (ADR 0016)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import has_permission
from yaojian.complaints import clocks
from yaojian.complaints.choices import OPEN_STATES, Kind, OutcomeKind, State
from yaojian.complaints.models import Complaint
from yaojian.complaints.permissions import HANDLE
from yaojian.core.workbench import (
    DUE_SOON,
    OVERDUE,
    WAITING,
    Figure,
    FigureScope,
    WorkItem,
    WorkSection,
    dashboard_figures,
    first_rows,
    work_sections,
)
from yaojian.territory.codes import subtree_q

SHOWN = 5


def _level(clock: clocks.Clock | None, today: dt.date) -> str:
    if clock is None:
        return WAITING
    status = clock.status(today)
    return {"overdue": OVERDUE, "due_soon": DUE_SOON}.get(status, WAITING)


def complaint_clocks(user: Any, today: dt.date) -> WorkSection | None:
    """Complaints and reports of my department with a running clock, most urgent first."""
    if not has_permission(user, HANDLE):
        return None
    rows = Complaint.objects.visible_to(user, "handle").filter(due_on__isnull=False)
    shown, count, _numbers = first_rows(rows.order_by("due_on", "id"), SHOWN)
    items = []
    for complaint in shown:
        clock = clocks.next_due(complaint)
        items.append(
            WorkItem(
                label=f"{complaint.number} · {complaint.subject_name}",
                url=reverse("complaints:detail", args=[complaint.public_id]),
                level=_level(clock, today),
                due_on=complaint.due_on,
                detail=str(clock.label) if clock else "",
            )
        )
    return WorkSection(
        key="complaints",
        title=_("Complaints and reports"),
        items=items,
        count=count,
        more_url=reverse("complaints:list") + "?state=open&due=1",
        order=35,
        empty_text=_("No complaint or report waits for you."),
    )


def _url(**params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None)})
    return reverse("complaints:list") + (f"?{query}" if query else "")


def _rows(scope: FigureScope) -> Any:
    return Complaint.objects.filter(
        subtree_q("region", scope.prefix), department_id__in=scope.department_ids
    ).exclude(state=State.DUPLICATE)


def complaints_by_state(scope: FigureScope) -> dict[str, Any]:
    counts = dict(_rows(scope).values_list("state").annotate(n=Count("id")).order_by())
    data = [
        {"key": state, "label": str(label), "value": counts[state], "url": _url(state=state)}
        for state, label in State.choices
        if counts.get(state)
    ]
    return {"rows": data, "total": sum(counts.values())}


def complaints_by_outcome(scope: FigureScope) -> dict[str, Any]:
    counts = dict(
        _rows(scope)
        .exclude(outcome_kind="")
        .values_list("outcome_kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    data = [
        {"key": key, "label": str(label), "value": counts[key], "url": _url(outcome=key)}
        for key, label in OutcomeKind.choices
        if counts.get(key)
    ]
    return {"rows": data, "total": sum(counts.values())}


def complaints_open_overdue(scope: FigureScope) -> dict[str, Any]:
    rows = _rows(scope).filter(state__in=sorted(OPEN_STATES))
    overdue = rows.filter(due_on__lt=scope.today).count()
    data = [
        {
            "key": kind,
            "label": str(label),
            "value": rows.filter(kind=kind).count(),
            "url": _url(kind=kind, state="open"),
        }
        for kind, label in Kind.choices
    ]
    data.append(
        {
            "key": "overdue",
            "label": gettext("Past a deadline"),
            "value": overdue,
            "url": _url(state="open", due="overdue"),
        }
    )
    return {"rows": data, "total": rows.count()}


def register_all() -> None:
    work_sections.register("complaints", complaint_clocks)
    for figure in (
        Figure(
            "complaints_by_state",
            _("Complaints and reports by state"),
            complaints_by_state,
            "bar",
            110,
        ),
        Figure(
            "complaints_by_outcome",
            _("Complaints and reports by outcome"),
            complaints_by_outcome,
            "pie",
            111,
        ),
        Figure(
            "complaints_open",
            _("Open complaints and reports"),
            complaints_open_overdue,
            "table",
            112,
        ),
    ):
        dashboard_figures.register(figure)

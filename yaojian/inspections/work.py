"""The first page's sections of inspections (registered in ``apps.ready``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import has_permission
from yaojian.core.workbench import DUE_SOON, OVERDUE, WAITING, WorkItem, WorkSection, first_rows
from yaojian.inspections import permissions, selectors

SHOWN = 5


def _level(due_on: dt.date | None, today: dt.date) -> str:
    if due_on is None:
        return WAITING
    if due_on < today:
        return OVERDUE
    if due_on <= today + dt.timedelta(days=14):
        return DUE_SOON
    return WAITING


def my_assignments(user: Any, today: dt.date) -> WorkSection | None:
    """Entities drawn for me that I have not inspected yet."""
    if not has_permission(user, permissions.CHANGE):
        return None
    queryset = selectors.my_assignments(user)
    rows, count, _numbers = first_rows(queryset, SHOWN)
    items = [
        WorkItem(
            label=f"{a.drawn.entity.name} — {a.drawn.draw.plan.title}",
            url=reverse("inspections:assignment_start", args=[a.drawn_id]),
            level=WAITING,
        )
        for a in rows
    ]
    return WorkSection(
        "inspections.assignments",
        _("My inspection assignments"),
        items,
        count,
        reverse("inspections:my_assignments"),
        order=25,
        empty_text=_("No inspection is assigned to you."),
    )


def due_inspections(user: Any, today: dt.date) -> WorkSection | None:
    """Entities of my jurisdiction due for inspection within 30 days, and results to publish."""
    if not has_permission(user, permissions.PUBLISH):
        return None
    queryset = selectors.due_list(user)
    rows, count, _numbers = first_rows(queryset, SHOWN)
    items = [
        WorkItem(
            label=r.entity.name,
            url=reverse("inspections:worksheet", args=[r.entity.public_id]),
            level=_level(r.due_on, today),
            due_on=r.due_on,
        )
        for r in rows
    ]
    return WorkSection(
        "inspections.due",
        _("Entities due for inspection"),
        items,
        count,
        reverse("inspections:due_list"),
        order=26,
        empty_text=_("No entity is due for inspection."),
    )

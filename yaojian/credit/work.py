"""Credit's part of the first page (its clocks) and of the leadership dashboard (figures)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yaojian.core.workbench import (
    DUE_SOON,
    OVERDUE,
    WAITING,
    Figure,
    FigureScope,
    WorkItem,
    WorkSection,
    dashboard_figures,
    work_sections,
)
from yaojian.credit.choices import Grade, LedgerState, ListingState
from yaojian.credit.models import CreditGrade, LedgerEntry, Listing
from yaojian.territory.codes import subtree_q

SHOWN = 5
CLOCK_LABELS = {
    "publish": _("Publish the listing of %(name)s"),
    "accept": _("Accept the removal application of %(name)s"),
    "decide": _("Decide the removal application of %(name)s"),
    "stop": _("Stop publishing the listing of %(name)s"),
    "approve": _("Approve the listing of %(name)s"),
    "ledger": _("Apply the joint measure against %(name)s"),
}


def _level(due_on: dt.date | None, today: dt.date) -> str:
    if due_on is None:
        return WAITING
    if due_on < today:
        return OVERDUE
    if (due_on - today).days <= 7:
        return DUE_SOON
    return WAITING


def credit_clocks(user: Any, today: dt.date) -> WorkSection | None:
    """The clocks of the serious-dishonesty list and the ledger that wait for this user."""
    from yaojian.accounts.scoping import has_permission
    from yaojian.credit import selectors

    if not has_permission(user, "credit.view_creditrecord"):
        return None
    clocks = selectors.open_clocks(user)
    if not clocks:
        return None
    items = []
    for clock in clocks[:SHOWN]:
        name = clock.listing.entity.name if clock.listing else ""
        url = (
            reverse("credit:ledger_detail", args=[clock.entry.public_id])
            if clock.entry
            else reverse("credit:listing_detail", args=[clock.listing.public_id])  # type: ignore[union-attr]
        )
        items.append(
            WorkItem(
                label=str(CLOCK_LABELS[clock.label] % {"name": name}),
                url=url,
                level=_level(clock.due_on, today),
                due_on=clock.due_on,
            )
        )
    return WorkSection(
        "credit",
        _("Credit clocks"),
        items,
        len(clocks),
        reverse("credit:listing_list"),
        order=35,
    )


def grades_by_grade(scope: FigureScope) -> dict[str, Any]:
    counts = dict(
        CreditGrade.objects.filter(subtree_q("entity__region", scope.prefix))
        .values_list("grade")
        .annotate(n=Count("entity_id"))
        .order_by()
    )
    rows = [
        {
            "key": grade,
            "label": str(label),
            "value": counts.get(grade, 0),
            "url": reverse("credit:grade_list") + "?" + urlencode({"grade": grade}),
        }
        for grade, label in Grade.choices
    ]
    return {"rows": rows, "total": sum(counts.values())}


def listings_by_state(scope: FigureScope) -> dict[str, Any]:
    counts = dict(
        Listing.objects.filter(subtree_q("entity__region", scope.prefix))
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [
        {
            "key": state,
            "label": str(label),
            "value": counts.get(state, 0),
            "url": reverse("credit:listing_list") + "?" + urlencode({"state": state}),
        }
        for state, label in ListingState.choices
        if counts.get(state)
    ]
    return {"rows": rows, "total": sum(counts.values())}


def ledger_execution(scope: FigureScope) -> dict[str, Any]:
    entries = LedgerEntry.objects.filter(subtree_q("listing__entity__region", scope.prefix))
    counts = dict(entries.values_list("state").annotate(n=Count("id")).order_by())
    overdue = entries.filter(state=LedgerState.PENDING, due_on__lt=scope.today).count()
    url = reverse("credit:ledger_list")
    rows = [
        {
            "key": state,
            "label": str(label),
            "value": counts.get(state, 0),
            "url": url + "?" + urlencode({"state": state}),
        }
        for state, label in LedgerState.choices
    ]
    rows.append(
        {
            "key": "overdue",
            "label": str(_("Overdue")),
            "value": overdue,
            "url": url + "?" + urlencode({"overdue": "1"}),
        }
    )
    return {"rows": rows, "total": sum(counts.values())}


def register() -> None:
    work_sections.register("credit", credit_clocks)
    for figure in (
        Figure("credit_grades", _("Credit grades of entities"), grades_by_grade, "pie", 110),
        Figure("credit_listings", _("Serious-dishonesty listings"), listings_by_state, "bar", 120),
        Figure(
            "credit_ledger",
            _("Joint-punishment measures applied"),
            ledger_execution,
            "table",
            130,
        ),
    ):
        dashboard_figures.register(figure)

"""The figures of the leadership dashboard (驾驶舱) that the existing apps contribute.

Each figure is computed for a :class:`~yaojian.core.workbench.FigureScope` (a region and the
departments whose work counts there) by the snapshot job, never while a page waits. A figure
is a list of rows ``{"key", "label", "value", "url"}`` (plus figure-specific columns); every
row links to the list behind it, filtered so that the list shows the same rows (the tests
check the counts against the lists). Apps added later register their own figures the same
way from their ``AppConfig.ready()``: ``dashboard_figures.register(Figure(...))``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, DurationField, F, Q, Sum, Value, When
from django.db.models import Case as DjangoCase
from django.db.models.functions import TruncDate, TruncMonth
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.core.workbench import Figure, FigureScope, dashboard_figures
from yaojian.enforcement.choices import (
    OPEN_STAGES,
    CaseStage,
    ClockState,
    DecisionState,
    PenaltyKind,
)
from yaojian.enforcement.models import Case, CaseClock, PenaltyItem
from yaojian.notices.choices import OPEN_STATES
from yaojian.notices.models import Notice, Problem, ProblemCategory
from yaojian.portal.choices import PublicationStatus
from yaojian.portal.models import Publication
from yaojian.registry.choices import EntityKind
from yaojian.registry.models import Entity
from yaojian.territory.codes import subtree_q
from yaojian.territory.selectors import region_names

Row = dict[str, Any]


def _url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None)})
    return reverse(name) + (f"?{query}" if query else "")


def _region_param(scope: FigureScope) -> str:
    """The region filter of the lists below a province (the province is the whole list)."""
    return "" if scope.region_code.endswith("0000") else scope.region_code


def _cases(scope: FigureScope) -> Any:
    return Case.objects.filter(
        subtree_q("region", scope.prefix), department_id__in=scope.department_ids
    )


def _by_region(rows: list[tuple[str, int]], link: Callable[[str], str]) -> list[Row]:
    names = region_names([code for code, _n in rows])
    return [
        {"key": code, "label": names.get(code, code), "value": n, "url": link(code)}
        for code, n in sorted(rows)
    ]


# --- registry --------------------------------------------------------------------------------


def entities_by_kind(scope: FigureScope) -> dict[str, Any]:
    rows = (
        Entity.objects.filter(subtree_q("region", scope.prefix))
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict(rows)
    data = [
        {
            "key": kind,
            "label": str(label),
            "value": counts.get(kind, 0),
            "url": _url("registry:entity_list", kind=kind, region=_region_param(scope)),
        }
        for kind, label in EntityKind.choices
        if counts.get(kind)
    ]
    return {"rows": data, "total": sum(counts.values())}


def entities_by_county(scope: FigureScope) -> dict[str, Any]:
    rows = list(
        Entity.objects.filter(subtree_q("region", scope.prefix))
        .values_list("region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    data = _by_region(rows, lambda code: _url("registry:entity_list", region=code))
    return {"rows": data, "total": sum(r["value"] for r in data)}


# --- enforcement -----------------------------------------------------------------------------


def cases_by_stage(scope: FigureScope) -> dict[str, Any]:
    counts = dict(_cases(scope).values_list("stage").annotate(n=Count("id")).order_by())
    data = [
        {
            "key": stage,
            "label": str(label),
            "value": counts.get(stage, 0),
            "url": _url("enforcement:case_list", stage=stage, region=_region_param(scope)),
        }
        for stage, label in CaseStage.choices
    ]
    return {"rows": data, "total": sum(counts.values())}


def cases_by_county(scope: FigureScope) -> dict[str, Any]:
    rows = list(_cases(scope).values_list("region_id").annotate(n=Count("id")).order_by())
    data = _by_region(rows, lambda code: _url("enforcement:case_list", region=code))
    return {"rows": data, "total": sum(r["value"] for r in data)}


def open_cases_overdue_by_county(scope: FigureScope) -> dict[str, Any]:
    rows = list(
        _cases(scope)
        .filter(stage__in=sorted(OPEN_STAGES), next_due_on__lt=scope.today)
        .values_list("region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    data = _by_region(rows, lambda code: _url("enforcement:case_list", region=code, due="overdue"))
    return {"rows": data, "total": sum(r["value"] for r in data)}


def cases_by_month(scope: FigureScope) -> dict[str, Any]:
    start = (scope.today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    rows = (
        _cases(scope)
        .filter(clue_received_on__gte=start)
        .annotate(month=TruncMonth("clue_received_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {_month_key(month): n for month, n in rows if month is not None}
    months = []
    cursor = start
    while cursor <= scope.today:
        months.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    link = _url("enforcement:case_list", region=_region_param(scope))
    data = [{"key": m, "label": m, "value": counts.get(m, 0), "url": link} for m in months]
    return {"rows": data, "total": sum(counts.values())}


def _month_key(value: Any) -> str:
    return value.strftime("%Y-%m") if hasattr(value, "strftime") else str(value)[:7]


def penalties_by_kind(scope: FigureScope) -> dict[str, Any]:
    """Penalties in effect (fines with their amount, revocations …) of the region's cases."""
    items = PenaltyItem.objects.filter(
        decision__state__in=[DecisionState.EFFECTIVE, DecisionState.CHANGED],
        decision__case__in=_cases(scope).values("pk"),
    )
    rows = {
        kind: (n, amount or Decimal(0))
        for kind, n, amount in items.values_list("kind")
        .annotate(n=Count("id"), amount=Sum("amount"))
        .order_by()
        .values_list("kind", "n", "amount")
    }
    link = _url("enforcement:case_list", region=_region_param(scope), stage=CaseStage.CLOSED)
    data = [
        {
            "key": kind,
            "label": str(label),
            "value": rows[kind][0],
            "amount": str(rows[kind][1]),
            "url": link,
        }
        for kind, label in PenaltyKind.choices
        if kind in rows
    ]
    fines = rows.get(PenaltyKind.FINE, (0, Decimal(0)))[1]
    revocations = rows.get(PenaltyKind.REVOKE_LICENCE, (0, Decimal(0)))[0]
    return {
        "rows": data,
        "total": sum(r["value"] for r in data),
        "fines": str(fines),
        "revocations": revocations,
    }


def clocks_by_department(scope: FigureScope) -> dict[str, Any]:
    """Per lead department: clocks stopped in time, stopped late, running overdue."""
    clocks = CaseClock.objects.filter(case__in=_cases(scope).values("pk"))
    rows = (
        clocks.values_list("case__department_id")
        .annotate(
            n_met=Count("id", filter=Q(state=ClockState.STOPPED, met=True)),
            n_late=Count("id", filter=Q(state=ClockState.STOPPED, met=False)),
            n_overdue=Count("id", filter=~Q(state=ClockState.STOPPED) & Q(due_on__lt=scope.today)),
        )
        .order_by()
    )
    departments = _departments([row[0] for row in rows])
    data: list[Row] = []
    for department_id, met, late, overdue in rows:
        code, name = departments.get(department_id, ("", str(department_id)))
        closed = met + late
        data.append(
            {
                "key": code,
                "label": name,
                "value": _rate(met, closed),
                "met": met,
                "late": late,
                "overdue": overdue,
                "url": _url("enforcement:case_list", region=_region_param(scope), due="overdue"),
            }
        )
    data.sort(key=lambda r: r["label"])
    return {"rows": data, "total": sum(r["met"] + r["late"] for r in data)}


# --- notices ---------------------------------------------------------------------------------


def notices_by_department(scope: FigureScope) -> dict[str, Any]:
    """Per receiving department: received, answered in time, overdue, mean days to answer."""
    notices = Notice.objects.filter(recipient_id__in=scope.department_ids)
    base = list(
        notices.values_list("recipient_id")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            overdue=Count("id", filter=Q(state__in=sorted(OPEN_STATES), due_on__lt=scope.today)),
        )
        .order_by()
    )
    on_time, mean_days = _answer_times(notices)
    departments = _departments([row[0] for row in base])
    data: list[Row] = []
    for department_id, received, answered, overdue in base:
        code, name = departments.get(department_id, ("", str(department_id)))
        in_time = on_time.get(department_id, 0)
        data.append(
            {
                "key": code,
                "label": name,
                "value": overdue,
                "received": received,
                "answered": answered,
                "on_time": in_time,
                "on_time_rate": _rate(in_time, answered),
                "mean_days": mean_days.get(department_id),
                "url": _url("notices:inbox", department=code, overdue="1"),
                "all_url": _url("notices:inbox", department=code),
            }
        )
    data.sort(key=lambda r: (-r["value"], r["label"]))
    return {"rows": data, "total": sum(r["received"] for r in data)}


def _answer_times(notices: Any) -> tuple[dict[int, int], dict[int, float]]:
    """Per recipient: answers given by the deadline's day, and the mean days to answer.

    One grouped query (no pass over the rows in Python): the answer's day is the timestamp's
    date in the project's time zone (``TruncDate`` with that zone, on SQLite and PostgreSQL
    alike); a time to answer below zero (clock skew) counts as zero.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    waited = DjangoCase(
        When(answered_at__gte=F("created_at"), then=F("answered_at") - F("created_at")),
        default=Value(dt.timedelta(0)),
        output_field=DurationField(),
    )
    rows = (
        notices.filter(answered_at__isnull=False)
        .values_list("recipient_id")
        .annotate(
            n_on_time=Count(
                "id",
                filter=Q(due_on__isnull=True)
                | Q(due_on__gte=TruncDate("answered_at", tzinfo=zone)),
            ),
            mean_wait=Avg(waited),
        )
        .order_by()
    )
    on_time: dict[int, int] = {}
    means: dict[int, float] = {}
    for recipient_id, n_on_time, mean_wait in rows:
        if n_on_time:
            on_time[recipient_id] = n_on_time
        if mean_wait is not None:
            means[recipient_id] = round(_seconds(mean_wait) / 86400, 1)
    return on_time, means


def _seconds(value: Any) -> float:
    """An average duration as seconds (a timedelta; microseconds as a number on SQLite)."""
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000


def problems_by_category(scope: FigureScope) -> dict[str, Any]:
    counts = dict(
        Problem.objects.filter(
            subtree_q("region", scope.prefix), department_id__in=scope.department_ids
        )
        .values_list("category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    english = (get_language() or "").startswith("en")  # as ProblemCategory.__str__
    data = [
        {
            "key": code,
            "label": name_en if english else name_zh,
            "value": counts[pk],
            "url": _url("notices:problem_list", category=code, region=_region_param(scope)),
        }
        for pk, code, name_zh, name_en in ProblemCategory.objects.filter(pk__in=list(counts))
        .order_by("order", "code")
        .values_list("pk", "code", "name_zh", "name_en")
    ]
    return {"rows": data, "total": sum(counts.values())}


# --- portal ----------------------------------------------------------------------------------


def publications_by_status(scope: FigureScope) -> dict[str, Any]:
    counts = dict(
        Publication.objects.filter(
            subtree_q("region", scope.prefix), department_id__in=scope.department_ids
        )
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    # On display: the public register of the region (anyone may open it, leaders included); the
    # other states only in a department's own queue (portal:manage), linked for those who handle
    # it (``permission``): a leader's would show only the leader's own department.
    data = [
        {
            "key": status,
            "label": str(label),
            "value": counts.get(status, 0),
            "url": _url("portal:penalty_list", region=scope.region_code)
            if status == PublicationStatus.PUBLISHED
            else _url("portal:manage", status=status),
            "permission": None
            if status == PublicationStatus.PUBLISHED
            else "portal.publish_publication",
        }
        for status, label in PublicationStatus.choices
        if counts.get(status)
    ]
    return {"rows": data, "total": sum(counts.values())}


# --- helpers ---------------------------------------------------------------------------------


def _departments(ids: list[int]) -> dict[int, tuple[str, str]]:
    return {
        pk: (code, name)
        for pk, code, name in Department.objects.filter(pk__in=ids).values_list(
            "pk", "code", "name"
        )
    }


def _rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal; ``None`` (shown as —) when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def register_all() -> None:
    """The figures of registry, enforcement, notices and portal (idempotent)."""
    for figure in (
        Figure("entities_by_kind", _("Regulated entities by kind"), entities_by_kind, "pie", 10),
        Figure(
            "entities_by_county",
            _("Regulated entities by county"),
            entities_by_county,
            "bar",
            20,
            map_indicator=True,
        ),
        Figure("cases_by_stage", _("Cases by stage"), cases_by_stage, "bar", 30),
        Figure(
            "cases_by_county", _("Cases by county"), cases_by_county, "bar", 40, map_indicator=True
        ),
        Figure(
            "overdue_cases_by_county",
            _("Open cases past a deadline, by county"),
            open_cases_overdue_by_county,
            "bar",
            45,
            map_indicator=True,
        ),
        Figure("cases_by_month", _("Clues received per month"), cases_by_month, "line", 50),
        Figure("penalties_by_kind", _("Penalties in effect"), penalties_by_kind, "table", 60),
        Figure(
            "clocks_by_department",
            _("Clocks kept on time, by department"),
            clocks_by_department,
            "table",
            70,
            unit="%",
        ),
        Figure(
            "notices_by_department",
            _("Notices received, answered on time and overdue, by department"),
            notices_by_department,
            "table",
            80,
        ),
        Figure(
            "problems_by_category",
            _("Problems pushed, by category"),
            problems_by_category,
            "bar",
            90,
        ),
        Figure(
            "publications_by_status",
            _("Penalty information publications"),
            publications_by_status,
            "pie",
            100,
        ),
    ):
        dashboard_figures.register(figure)

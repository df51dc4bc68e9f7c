"""The first page's sections (工作台) and the leadership dashboard's figures (驾驶舱), as
registries that the apps fill from their ``AppConfig.ready()`` (ADR 0016, like ADR 0008's panels).

* A **work section** answers "what waits for this person now": a provider takes the user and
  today's date and returns a :class:`WorkSection` (or ``None`` when the section does not apply
  to the user's roles). Each item carries its URL (one click from acting) and its urgency.
* A **dashboard figure** computes one figure for a :class:`FigureScope` (a region and the
  departments whose work counts there): labels, values and the URL of the list behind each
  value. Figures are computed by a periodic job into snapshots (the dashboard app) and read
  from there, so a page never aggregates a province's rows while someone waits.

No import goes upwards: core knows only the shapes; the apps bring the queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Func, Q, QuerySet, Subquery

# Urgency, most urgent first; the page sorts sections and items by it.
OVERDUE = "overdue"
DUE_SOON = "due_soon"
WAITING = "waiting"
INFO = "info"
LEVELS = (OVERDUE, DUE_SOON, WAITING, INFO)
_RANK = {level: rank for rank, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class WorkItem:
    """One thing to act on."""

    label: str
    url: str
    level: str = WAITING
    due_on: dt.date | None = None
    detail: str = ""

    @property
    def rank(self) -> tuple[int, dt.date, str]:
        return (_RANK.get(self.level, len(LEVELS)), self.due_on or dt.date.max, self.label)


@dataclass(frozen=True)
class WorkSection:
    """A section of the first page: a few items, how many there are, the list with all."""

    key: str
    title: Any
    items: list[WorkItem]
    count: int
    more_url: str = ""
    order: int = 100
    empty_text: Any = ""
    # Counts by kind shown beside the title (e.g. filings, extensions, decisions).
    breakdown: list[tuple[Any, int]] = field(default_factory=list)

    @property
    def rank(self) -> tuple[int, int]:
        best = min((item.rank[0] for item in self.items), default=len(LEVELS))
        return (best, self.order)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.level == OVERDUE)


def _count_of(queryset: QuerySet[Any]) -> Subquery:
    """``(SELECT COUNT(pk) FROM … same filter)``: a plain function, so no GROUP BY is added."""
    return Subquery(queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n"))


def first_rows(
    queryset: QuerySet[Any], size: int, **counts: Q
) -> tuple[list[Any], int, dict[str, int]]:
    """The first ``size`` rows of ``queryset``, how many rows it has, and how many of them match
    each of ``counts`` (a ``Q`` each), in one statement: the counts are uncorrelated scalar
    subqueries (PostgreSQL computes each once), so a section costs one round trip, not two.

    For model and ``values()`` querysets (not sliced); the counts are not left on the rows."""
    names = {"total": f"{_PREFIX}total", **{key: f"{_PREFIX}{key}" for key in counts}}
    annotations = {names["total"]: _count_of(queryset)}
    for key, condition in counts.items():
        annotations[names[key]] = _count_of(queryset.filter(condition))
    rows = list(queryset.annotate(**annotations)[:size])
    numbers = dict.fromkeys(names, 0)
    for row in rows:
        for key, name in names.items():
            numbers[key] = row.pop(name) if isinstance(row, dict) else getattr(row, name)
    total = numbers.pop("total")
    return rows, total, numbers


_PREFIX = "_workbench_"


WorkProvider = Callable[[Any, dt.date], WorkSection | None]


class WorkRegistry:
    """The providers of the first page's sections."""

    def __init__(self) -> None:
        self._providers: dict[str, WorkProvider] = {}

    def register(self, key: str, provider: WorkProvider) -> None:
        """Add (or replace) a provider; idempotent, so ``ready()`` may run twice."""
        self._providers[key] = provider

    def keys(self) -> list[str]:
        return sorted(self._providers)

    def sections_for(self, user: Any, today: dt.date) -> list[WorkSection]:
        """The sections that apply to ``user``, the most urgent first."""
        sections = [
            section
            for key in sorted(self._providers)
            if (section := self._providers[key](user, today)) is not None
        ]
        sections.sort(key=lambda s: s.rank)
        return sections


@dataclass(frozen=True)
class FigureScope:
    """Where a figure is computed: a region (code and subtree prefix) and its departments."""

    region_code: str
    prefix: str
    department_ids: tuple[int, ...]
    today: dt.date
    links: bool = True


@dataclass(frozen=True)
class Figure:
    """One figure of the dashboard."""

    key: str
    title: Any
    compute: Callable[[FigureScope], dict[str, Any]]
    chart: str = "bar"  # bar, pie, line, table, number
    order: int = 100
    # A figure keyed by county code can colour the map.
    map_indicator: bool = False
    unit: Any = ""


@dataclass
class FigureRegistry:
    """The figures of the dashboard, in order."""

    _figures: dict[str, Figure] = field(default_factory=dict)

    def register(self, figure: Figure) -> None:
        """Add (or replace) a figure; idempotent."""
        self._figures[figure.key] = figure

    def all(self) -> list[Figure]:
        return sorted(self._figures.values(), key=lambda f: (f.order, f.key))

    def get(self, key: str) -> Figure | None:
        return self._figures.get(key)


work_sections = WorkRegistry()
dashboard_figures = FigureRegistry()

"""Reads of the territory app: the region tree and grid cells."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

from yaojian.accounts.models import Department, User
from yaojian.accounts.scoping import scope_for
from yaojian.territory.choices import RegionLevel
from yaojian.territory.codes import covering_codes
from yaojian.territory.models import GridCell, Region

CHANGE_GRIDCELL = "territory.change_gridcell"


# --- regions --------------------------------------------------------------------------------

# The current prefectures and counties, kept per process: every list page's region filter
# offers them, and they change once a year (``load_regions``). Re-read after
# ``SUBDIVISIONS_SECONDS``, or at once after a load in this process (``forget_subdivisions``).
SUBDIVISIONS_SECONDS = 300.0
Subdivision = tuple[str, str, str, str | None]
# (read at, rows, choices per set of prefixes): the choices are cut from the rows once per
# set of jurisdictions (walking every row with ``startswith`` took ≈ 4 ms of every list page).
_subdivisions: tuple[float, list[Subdivision], dict[Any, list[tuple[str, str]]]] | None = None
_subdivisions_lock = threading.Lock()
_CHOICE_SETS = 1_000  # distinct sets of jurisdictions kept before the kept choices are dropped


def _kept_subdivisions() -> tuple[float, list[Subdivision], dict[Any, list[tuple[str, str]]]]:
    global _subdivisions
    with _subdivisions_lock:
        now = time.monotonic()
        if _subdivisions is None or now - _subdivisions[0] > SUBDIVISIONS_SECONDS:
            rows: list[Subdivision] = list(
                Region.objects.filter(
                    level__in=[RegionLevel.PREFECTURE, RegionLevel.COUNTY], valid_to__isnull=True
                )
                .order_by("code")
                .values_list("code", "name", "level", "parent__name")
            )
            _subdivisions = (now, rows, {})
        return _subdivisions


def current_subdivisions() -> list[Subdivision]:
    """``(code, name, level, parent's name)`` of every current prefecture and county, by code."""
    return _kept_subdivisions()[1]


def subdivision_choices(prefixes: tuple[str, ...] | None) -> list[tuple[str, str]]:
    """``(code, label)`` of the current prefectures and counties whose code starts with one of
    ``prefixes`` (all of them with ``None``), by code; a county is labelled "prefecture /
    county". A new list each time (callers may add to it)."""
    _, rows, kept = _kept_subdivisions()
    key = None if prefixes is None else tuple(sorted(set(prefixes)))
    choices = kept.get(key)
    if choices is None:
        choices = [
            (code, f"{parent} / {name}" if level == RegionLevel.COUNTY and parent else name)
            for code, name, level, parent in rows
            if key is None or code.startswith(key)
        ]
        if len(kept) >= _CHOICE_SETS:
            kept.clear()
        kept[key] = choices
    return list(choices)


def forget_subdivisions() -> None:
    """Drop the kept prefectures and counties (after a load, and between tests)."""
    global _subdivisions
    with _subdivisions_lock:
        _subdivisions = None


def regions_under(parent_code: str | None) -> QuerySet[Region]:
    """The provinces (``None``) or the children of one region, abolished ones included."""
    regions = Region.objects.select_related("successor").annotate(child_count=Count("children"))
    if parent_code is None:
        return regions.filter(level=RegionLevel.PROVINCE, parent__isnull=True).order_by("code")
    return regions.filter(parent_id=parent_code).order_by("code")


def region_names(codes: Iterable[str]) -> dict[str, str]:
    """The names of the regions with these codes, one query (codes not known are left out)."""
    return dict(Region.objects.filter(code__in=sorted(set(codes))).values_list("code", "name"))


def get_region(code: str) -> Region:
    """One region by its code (abolished ones too), else ``Region.DoesNotExist``."""
    return Region.objects.select_related("parent", "successor").get(code=code)


def region_path(region: Region) -> list[Region]:
    """``region`` and the regions above it, top first (for breadcrumbs)."""
    path: list[Region] = []
    current: Region | None = region
    while current is not None and len(path) < 4:
        path.append(current)
        current = current.parent
    return list(reversed(path))


def _jurisdiction_q(user: Any, permission: str | None) -> Q:
    """Regions (matched on their own code) inside ``user``'s jurisdictions."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for prefix in sorted({m.prefix for m in scope.members_with(permission)}):
        q |= Q(code__startswith=prefix)
    return q


def counties_where(user: Any, *, permission: str | None = None) -> QuerySet[Region]:
    """Current counties inside the jurisdictions where ``user`` holds ``permission``."""
    return (
        Region.objects.filter(level=RegionLevel.COUNTY, valid_to__isnull=True)
        .filter(_jurisdiction_q(user, permission))
        .order_by("code")
    )


# --- grid cells -----------------------------------------------------------------------------


def gridcells_visible_to(user: Any, action: str = "view") -> QuerySet[GridCell]:
    """Grid cells in ``user``'s jurisdictions, with their county loaded."""
    return GridCell.objects.visible_to(user, action).select_related("region").order_by("code")


def gridcell_list(user: Any, *, county: str = "") -> QuerySet[GridCell]:
    """The grid-cell list: visible cells (optionally of one county) with officers and the
    number of entities in each."""
    cells = gridcells_visible_to(user)
    if county:
        cells = cells.filter(region_id=county)
    return cells.annotate(entity_count=Count("entities")).prefetch_related("officers")


def counties_with_gridcells(user: Any) -> QuerySet[Region]:
    """Counties that hold at least one grid cell ``user`` can see (for the list filter)."""
    visible = gridcells_visible_to(user).values("region_id")
    return Region.objects.filter(code__in=visible).order_by("code")


def get_gridcell_for_user(user: Any, public_id: Any, action: str = "view") -> GridCell:
    """One grid cell ``user`` may ``action``, else ``GridCell.DoesNotExist``."""
    return (
        gridcells_visible_to(user, action)
        .annotate(entity_count=Count("entities"))
        .get(public_id=public_id)
    )


def can_change_gridcell(user: Any, cell: GridCell) -> bool:
    """May ``user`` edit ``cell`` and assign its officers?"""
    return GridCell.objects.visible_to(user, "change").filter(pk=cell.pk).exists()


def departments_covering(
    region_code: str, *, kinds: tuple[str, ...] | list[str] | None = None
) -> list[Department]:
    """Active departments whose jurisdiction covers ``region_code``, the most local first
    (then by code); only those of ``kinds`` when given."""
    chain = covering_codes(region_code)
    rows = Department.objects.filter(is_active=True, region_id__in=chain)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return sorted(rows.select_related("region"), key=lambda d: (chain.index(d.region_id), d.code))


def departments_covering_plain(
    region_code: str, *, kinds: tuple[str, ...] | list[str]
) -> list[Department]:
    """:func:`departments_covering` of ``kinds`` without their regions, in SQL: the public
    intake routes every submission with it, and the ORM took ~1.5 ms of CPU to compile the
    query each time. Same rows, same order."""
    chain = covering_codes(region_code)
    if not chain or not kinds:
        return []
    qn = connection.ops.quote_name
    fields = ", ".join(qn(f.column or f.attname) for f in Department._meta.concrete_fields)
    sql = (
        f"SELECT {fields} FROM {qn(Department._meta.db_table)} "  # noqa: S608 - names only
        f"WHERE {qn('is_active')} = %s "
        f"AND {qn('region_id')} IN ({', '.join(['%s'] * len(chain))}) "
        f"AND {qn('kind')} IN ({', '.join(['%s'] * len(kinds))})"
    )
    rows = list(Department.objects.raw(sql, [True, *chain, *kinds]))
    return sorted(rows, key=lambda d: (chain.index(d.region_id), d.code))


def most_local_departments(region_code: str, kinds: tuple[str, ...]) -> list[Department]:
    """The most local active department of each of ``kinds`` covering ``region_code``."""
    chosen: dict[str, Department] = {}
    for department in departments_covering(region_code, kinds=kinds):
        chosen.setdefault(department.kind, department)
    return list(chosen.values())


def eligible_officers(county_code: str) -> QuerySet[User]:
    """Active users who are active members of an active department covering the county."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__department__is_active=True,
            memberships__department__region_id__in=covering_codes(county_code),
        )
        .distinct()
        .order_by("username")
    )

"""Writes of the territory app: reference regions, grid cells and their officers."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yaojian.accounts.scoping import has_permission_in_region
from yaojian.audit.services import diff, record
from yaojian.territory.choices import GridLevel, RegionLevel
from yaojian.territory.codes import subtree_prefix
from yaojian.territory.models import GridCell, GridOfficerTerm, Region
from yaojian.territory.selectors import CHANGE_GRIDCELL, eligible_officers, forget_subdivisions

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class RegionLoadResult:
    """What :func:`load_regions` did."""

    created: int
    updated: int
    unchanged: int


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_regions(*, actor: Any = None, data_dir: Path = DATA_DIR) -> RegionLoadResult:
    """Load (idempotently) the divisions in force and the abolished ones from ``data_dir``."""
    current = _read(data_dir / "regions.csv")
    abolished = _read(data_dir / "regions_abolished.csv")
    wanted: dict[str, dict[str, Any]] = {}
    for row in current + abolished:
        valid_to = row.get("valid_to") or None
        wanted[row["code"]] = {
            "name": row["name"],
            "kind": row["kind"],
            "level": row["level"],
            "parent_id": row["parent"] or None,
            "prefix": subtree_prefix(row["code"]),
            "valid_to": dt.date.fromisoformat(valid_to) if valid_to else None,
            "successor_id": row.get("successor") or None,
        }
    existing = {r.code: r for r in Region.objects.all()}
    fields = ["name", "kind", "level", "parent_id", "prefix", "valid_to", "successor_id"]
    to_create, to_update = [], []
    # Parents first: sort by level depth, then code.
    depth = {"province": 0, "prefecture": 1, "county": 2}
    for code in sorted(wanted, key=lambda c: (depth[wanted[c]["level"]], c)):
        values = wanted[code]
        region = existing.get(code)
        if region is None:
            to_create.append(Region(code=code, **values))
        elif any(getattr(region, f) != values[f] for f in fields):
            for f in fields:
                setattr(region, f, values[f])
            to_update.append(region)
    # successor may point at rows created in the same batch: insert without, then update.
    successors = {r.code: r.successor_id for r in to_create if r.successor_id}
    for r in to_create:
        r.successor_id = None
    Region.objects.bulk_create(to_create, batch_size=500)
    for code, successor in successors.items():
        Region.objects.filter(code=code).update(successor_id=successor)
    Region.objects.bulk_update(to_update, fields, batch_size=500)
    forget_subdivisions()
    result = RegionLoadResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(wanted) - len(to_create) - len(to_update),
    )
    if result.created or result.updated:
        record(
            actor=actor,
            action="territory.regions_loaded",
            object_type="territory.region",
            changes={"created": result.created, "updated": result.updated},
        )
    return result


# --- grid cells -----------------------------------------------------------------------------


def clean_place_names(value: str) -> str:
    """Place names separated by commas (Chinese or Latin), trimmed, without duplicates."""
    parts = [p.strip() for p in value.replace("，", ",").replace("、", ",").split(",")]
    return ",".join(dict.fromkeys(p for p in parts if p))


def _require_change_permission(actor: Any, region: Region) -> None:
    if not has_permission_in_region(actor, CHANGE_GRIDCELL, region.code):
        raise PermissionDenied(_("You may not manage the grid cells of this county."))


@transaction.atomic
def create_grid_cell(
    *,
    actor: Any,
    code: str,
    name: str,
    region: Region,
    description: str = "",
    level: str = GridLevel.TOWNSHIP,
    parent: GridCell | None = None,
    place_names: str = "",
) -> GridCell:
    """Create a grid cell in a current county (needs ``territory.change_gridcell`` there).

    A village cell may sit under a township cell of the same county (``parent``);
    ``place_names`` are the names that place an entity here by its address.
    """
    _require_change_permission(actor, region)
    if region.level != RegionLevel.COUNTY or not region.is_current:
        raise ValidationError({"region": _("Choose a county whose code is in force.")})
    if parent is not None and parent.region_id != region.code:
        raise ValidationError({"parent": _("The parent cell must lie in the same county.")})
    cell = GridCell(
        code=code.strip(),
        name=name.strip(),
        region=region,
        description=description.strip(),
        level=level or GridLevel.TOWNSHIP,
        parent=parent,
        place_names=clean_place_names(place_names),
    )
    cell.full_clean()
    cell.save()
    record(
        actor=actor,
        action="territory.gridcell_created",
        obj=cell,
        changes={"code": cell.code, "name": cell.name, "region": region.code},
    )
    return cell


@transaction.atomic
def update_grid_cell(
    *,
    actor: Any,
    cell: GridCell,
    name: str,
    description: str = "",
    place_names: str | None = None,
) -> GridCell:
    """Rename a grid cell, change its description or place names (audited with the
    differences)."""
    _require_change_permission(actor, cell.region)
    locked = GridCell.objects.select_for_update(no_key=True).get(pk=cell.pk)
    before = {
        "name": locked.name,
        "description": locked.description,
        "place_names": locked.place_names,
    }
    cell.name = name.strip()
    cell.description = description.strip()
    if place_names is not None:
        cell.place_names = clean_place_names(place_names)
    cell.full_clean()
    changes = diff(
        before,
        {"name": cell.name, "description": cell.description, "place_names": cell.place_names},
    )
    if not changes:
        return cell
    cell.save(update_fields=["name", "description", "place_names", "updated_at"])
    record(actor=actor, action="territory.gridcell_changed", obj=cell, changes=changes)
    return cell


def _update_terms(cell: GridCell, officer_ids: set[int]) -> None:
    """Close the terms of officers no longer responsible, open terms for new ones."""
    from django.utils import timezone

    today = timezone.localdate()
    open_terms = {t.officer_id: t for t in cell.terms.filter(ended_on__isnull=True)}
    for officer_id, term in open_terms.items():
        if officer_id not in officer_ids:
            term.ended_on = today
            term.save(update_fields=["ended_on", "updated_at"])
    GridOfficerTerm.objects.bulk_create(
        [
            GridOfficerTerm(cell=cell, officer_id=officer_id, started_on=today)
            for officer_id in sorted(officer_ids - set(open_terms))
        ]
    )


@transaction.atomic
def assign_officers(*, actor: Any, cell: GridCell, officers: Iterable[Any]) -> GridCell:
    """Make ``officers`` the responsible officers of ``cell`` (replacing the previous ones).

    Each officer must be an active member of a department whose jurisdiction covers the
    cell's county.
    """
    _require_change_permission(actor, cell.region)
    GridCell.objects.select_for_update(no_key=True).get(pk=cell.pk)  # one assignment at a time
    wanted = {officer.pk: officer for officer in officers}
    eligible = set(
        eligible_officers(cell.region_id).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    refused = sorted(str(officer) for pk, officer in wanted.items() if pk not in eligible)
    if refused:
        raise ValidationError(
            {
                "officers": _(
                    "%(names)s may not be assigned: only members of a department covering "
                    "this county can be responsible for it."
                )
                % {"names": "、".join(refused)}
            }
        )
    before = sorted(cell.officers.values_list("username", flat=True))
    after = sorted(officer.username for officer in wanted.values())
    if before == after:
        return cell
    cell.officers.set(list(wanted.values()))
    _update_terms(cell, set(wanted))
    record(
        actor=actor,
        action="territory.officers_assigned",
        obj=cell,
        changes={"officers": [before, after]},
    )
    return cell

"""Writes of the territory app: reference regions and grid cells."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from yaojian.audit.services import record
from yaojian.territory.codes import subtree_prefix
from yaojian.territory.models import Region

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

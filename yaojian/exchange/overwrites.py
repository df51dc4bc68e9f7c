"""Imports never silently overwrite another department's facts (issue 9 item 3).

When an import changes a field of an entity that another department registered (a county's
legal representative changed by a provincial licence register, say), the change is:

* **shown in the profile's history**: one audit event on the entity itself
  (``exchange.entity_overwritten``, object ``registry.entity``, with ``[before, after]`` per field
  and the registering department) — the profile's history lists the entity's events;
* **raised as a data-quality alert** for ``name`` and ``legal_representative``: the registering
  department's value is recorded as its statement (``FieldProvenance`` of that department,
  attached to the batch that superseded it) when it has none for the field, so
  ``alerts.recompute_alerts`` — run after every import — sees two departments disagree and opens
  the mismatch alert for both. The alert resolves itself once they agree again.

The applier calls :func:`note` while it plans the entity changes and :func:`flag` after it has
written its own provenance (inside the import's transaction).
"""

from __future__ import annotations

from typing import Any

from yaojian.audit.services import record
from yaojian.core import bulkwrite as bulk
from yaojian.exchange.models import FieldProvenance, current_fields

# Fields whose disagreement between departments is a data-quality alert (alerts._findings).
ALERT_FIELDS = frozenset({"name", "legal_representative"})
# Fields whose overwrite is recorded in the entity's history.
WATCHED_FIELDS = frozenset({"name", "legal_representative", "address", "kind", "region"})


def note(
    overwritten: dict[int, dict[str, list[Any]]],
    entity: Any,
    field: str,
    before: Any,
    after: Any,
    department_id: int,
) -> None:
    """Remember that ``field`` of a stored ``entity`` goes from ``before`` to ``after``, when
    another department registered it and it held a value."""
    if (
        entity.pk is None
        or field not in WATCHED_FIELDS
        or before in (None, "")
        or before == after
        or entity.registered_by_id in (None, department_id)
    ):
        return
    entry = overwritten.setdefault(entity.pk, {})
    entry[field] = [entry.get(field, [before])[0], after]


def flag(
    overwritten: dict[int, dict[str, list[Any]]],
    entities: dict[int, Any],
    *,
    actor: Any,
    department: Any,
    batch: Any,
    now: Any,
) -> int:
    """Record the overwrites (history and, for the alert fields, the other department's
    statement). Returns the number of entities whose facts another department had recorded."""
    if not overwritten:
        return 0
    ids = sorted(overwritten)
    owners = {pk: entities[pk].registered_by_id for pk in ids}
    said: dict[tuple[int, int], list[tuple[int, dict[str, str]]]] = {}
    for entity_id, department_id, statement_id, values in FieldProvenance.objects.filter(
        entity_id__in=ids, department_id__in=sorted(set(owners.values()))
    ).values_list("entity_id", "department_id", "id", "values"):
        said.setdefault((entity_id, department_id), []).append((statement_id, values))
    rows: list[tuple[Any, ...]] = []
    recorded_at = bulk.db_value(FieldProvenance, "recorded_at", now)
    for pk in ids:
        owner = owners[pk]
        current = current_fields(said.get((pk, owner), []))
        claim = {
            field: str(before)
            for field, (before, _after) in overwritten[pk].items()
            if field in ALERT_FIELDS and field not in current
        }
        if claim:
            rows.append((pk, owner, bulk.json_value(claim), batch.pk, recorded_at))
        record(
            actor=actor,
            action="exchange.entity_overwritten",
            obj=entities[pk],
            changes={
                **{field: list(change) for field, change in overwritten[pk].items()},
                "registered_by": owner,
                "batch": str(batch.public_id),
            },
            department=department,
        )
    bulk.insert_rows(
        FieldProvenance,
        [
            bulk.column(FieldProvenance, name)
            for name in ("entity", "department", "values", "batch", "recorded_at")
        ],
        rows,
    )
    return len(ids)

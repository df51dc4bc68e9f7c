"""Reads of the exchange app. Lists start from ``visible_to``; single objects from
``get_<x>_for_user`` (``DoesNotExist`` for missing and forbidden alike)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.exchange.choices import AlertStatus
from yaojian.exchange.models import (
    DataQualityAlert,
    DataSource,
    FieldProvenance,
    ImportBatch,
    RejectedRow,
    SourceRecord,
    current_fields,
)
from yaojian.exchange.permissions import IMPORT
from yaojian.registry.models import Entity

DEFAULT_STALE_DAYS = 180


def stale_after_days() -> int:
    """A department's record is stale after this many days (``EXCHANGE_STALE_AFTER_DAYS``)."""
    return int(getattr(settings, "EXCHANGE_STALE_AFTER_DAYS", DEFAULT_STALE_DAYS))


def batches_visible_to(user: Any) -> QuerySet[ImportBatch]:
    """Batches of my departments (stewards, heads, administrators), newest first."""
    return (
        ImportBatch.objects.visible_to(user)
        .select_related("department", "uploaded_by", "job")
        .order_by("-created_at", "-pk")
    )


def get_batch_for_user(user: Any, public_id: Any) -> ImportBatch:
    """One batch ``user`` may see, else ``ImportBatch.DoesNotExist``."""
    return batches_visible_to(user).get(public_id=public_id)


def rejected_rows(batch: ImportBatch) -> QuerySet[RejectedRow]:
    """The rejected rows of a batch, by line."""
    return RejectedRow.objects.filter(batch=batch).order_by("line_number", "pk")


def sources_visible_to(user: Any) -> QuerySet[DataSource]:
    """Data sources of my departments."""
    return (
        DataSource.objects.visible_to(user)
        .select_related("department")
        .order_by("department__name", "kind")
    )


def importing_departments(user: Any) -> QuerySet[Department]:
    """Departments ``user`` may import for."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Department.objects.filter(is_active=True).order_by("name")
    ids = sorted({m.department_id for m in scope.members_with(IMPORT)})
    return Department.objects.filter(pk__in=ids).order_by("name")


def alerts_visible_to(user: Any, *, status: str | None = None) -> QuerySet[DataQualityAlert]:
    """Alerts concerning my departments, newest first (``status`` filters)."""
    alerts = DataQualityAlert.objects.visible_to(user).select_related("entity")
    if status:
        alerts = alerts.filter(status=status)
    return alerts.prefetch_related("departments").order_by("-detected_at", "-pk")


def get_alert_for_user(user: Any, public_id: Any) -> DataQualityAlert:
    """One alert ``user`` may see, else ``DataQualityAlert.DoesNotExist``."""
    return alerts_visible_to(user).get(public_id=public_id)


@dataclass
class FieldClaim:
    """The current provenance of one field: its value, the batch that gave it and when."""

    field_name: str
    value: str
    batch: ImportBatch
    recorded_at: dt.datetime

    @property
    def field_label(self) -> str:
        from yaojian.exchange.labels import field_label

        return field_label(self.field_name)

    @property
    def value_label(self) -> str:
        from yaojian.exchange.labels import value_label

        return value_label(self.field_name, self.value)


@dataclass
class DepartmentHolding:
    """What one department holds about an entity."""

    department: Department
    records: list[SourceRecord] = field(default_factory=list)
    fields: list[FieldClaim] = field(default_factory=list)
    received_at: dt.datetime | None = None
    age_days: int = 0
    is_stale: bool = False


@dataclass
class EntityHoldings:
    """The profile panel: per department its records and per-field provenance, plus alerts."""

    entity: Entity
    departments: list[DepartmentHolding]
    alerts: list[DataQualityAlert]
    stale_after_days: int


def entity_holdings(user: Any, entity: Entity) -> EntityHoldings:
    """What each department holds about ``entity`` (the caller has checked that ``user`` sees
    the entity: it is a shared profile, so every department's statements are shown)."""
    now = timezone.now()
    limit = stale_after_days()
    by_department: dict[int, DepartmentHolding] = {}
    records = (
        SourceRecord.objects.filter(entity=entity)
        .select_related("department", "batch")
        .order_by("department__name", "source_kind", "record_key")
    )
    for rec in records:
        holding = by_department.setdefault(
            rec.department_id, DepartmentHolding(department=rec.department)
        )
        holding.records.append(rec)
        if holding.received_at is None or rec.received_at > holding.received_at:
            holding.received_at = rec.received_at
    statements: dict[int, list[FieldProvenance]] = defaultdict(list)
    for prov in FieldProvenance.objects.filter(entity=entity).select_related("department", "batch"):
        statements[prov.department_id].append(prov)
        by_department.setdefault(prov.department_id, DepartmentHolding(department=prov.department))
    fields: dict[int, list[FieldClaim]] = {}
    for department_id, said in statements.items():
        by_id = {prov.pk: prov for prov in said}
        current = current_fields((prov.pk, prov.values) for prov in said)
        fields[department_id] = [
            FieldClaim(name, value, by_id[pk].batch, by_id[pk].recorded_at)
            for name, (value, pk) in sorted(current.items())
        ]
    for department_id, holding in by_department.items():
        holding.fields = fields.get(department_id, [])
        if holding.received_at is None and holding.fields:
            holding.received_at = max(p.recorded_at for p in holding.fields)
        if holding.received_at is not None:
            holding.age_days = (now - holding.received_at).days
            holding.is_stale = holding.age_days > limit
    alerts = list(
        alerts_visible_to(user).filter(entity=entity).exclude(status=AlertStatus.RESOLVED)
    )
    ordered = sorted(by_department.values(), key=lambda h: h.department.name)
    return EntityHoldings(entity=entity, departments=ordered, alerts=alerts, stale_after_days=limit)


def source_kinds_for(department: Department) -> list[tuple[str, Any]]:
    """The source kinds ``department`` may upload."""
    from yaojian.exchange.choices import source_kind_choices, uploaders_for

    kinds = []
    for value, label in source_kind_choices():
        uploaders = uploaders_for(value)
        if uploaders is None or department.kind in uploaders:
            kinds.append((value, label))
    return kinds

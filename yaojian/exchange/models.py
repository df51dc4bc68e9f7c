"""Models of the exchange app: data sources, import batches, rejected rows, what each
department holds about an entity (source records and per-field provenance), API receipts and
data-quality alerts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import ScopedQuerySet, overseen_department_ids, scope_for
from yaojian.core.models import OwnedByDepartment, PublicIdModel, TimeStampedModel
from yaojian.exchange.choices import (
    AlertKind,
    AlertStatus,
    BatchOrigin,
    BatchStatus,
    RowOutcome,
    source_kind_choices,
)
from yaojian.exchange.permissions import VIEW_ALERTS, VIEW_BATCHES


class DepartmentDataQuerySet(ScopedQuerySet[Any]):
    """Department-owned exchange data: seen by members of the owning department who may view
    batches (data stewards, department heads, administrators)."""

    scope_region_field = None
    scope_department_field = "department"
    scope_view_permission = VIEW_BATCHES


class DataSource(PublicIdModel, TimeStampedModel, OwnedByDepartment):
    """One department's source of one kind (created on first upload or by an administrator)."""

    kind = models.CharField(_("kind"), max_length=32, choices=source_kind_choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = DepartmentDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")
        ordering = ["department_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind"], name="exchange_datasource_department_kind_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id}:{self.kind}"


class ImportBatch(PublicIdModel, TimeStampedModel, OwnedByDepartment):
    """One uploaded file (or one API call) and what became of its rows."""

    source = models.ForeignKey(
        DataSource, on_delete=models.PROTECT, related_name="batches", verbose_name=_("source")
    )
    source_kind = models.CharField(_("kind"), max_length=32, choices=source_kind_choices)
    origin = models.CharField(
        _("origin"), max_length=16, choices=BatchOrigin.choices, default=BatchOrigin.UPLOAD
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    stored_file = models.CharField(_("stored file"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    encoding = models.CharField(_("encoding detected"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    accepted_count = models.PositiveIntegerField(_("accepted"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    held_count = models.PositiveIntegerField(_("held for review"), default=0)
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job"),
    )
    error_report = models.CharField(_("error report"), max_length=255, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = DepartmentDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    @property
    def status_label(self) -> str:
        """The status as people read it: an applied batch that accepted no row did not import
        anything, and says so (nothing new, or every row rejected or held)."""
        if self.status != BatchStatus.APPLIED or self.accepted_count:
            return str(self.get_status_display())
        if self.rejected_count or self.held_count:
            return str(_("Nothing imported"))
        return str(_("No changes"))

    def __str__(self) -> str:
        return self.file_name or str(self.public_id)


class RejectedRow(models.Model):
    """A row that was refused, with its line number, original values and reasons (kept forever)."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="rejected_rows", verbose_name=_("batch")
    )
    line_number = models.PositiveIntegerField(_("line"))
    values = models.JSONField(_("original values"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ["batch_id", "line_number", "id"]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line_number}"


class SourceRecord(TimeStampedModel, OwnedByDepartment):
    """The latest record one department holds about one thing (a licence, an agreement …).

    ``received_at`` is its freshness; ``content_hash`` makes a re-import of the same data a no-op.
    """

    source_kind = models.CharField(_("kind"), max_length=32, choices=source_kind_choices)
    record_key = models.CharField(_("record key"), max_length=128)
    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="source_records",
        verbose_name=_("entity"),
    )
    payload = models.JSONField(_("values"), default=dict)
    content_hash = models.CharField(_("content hash"), max_length=64)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="+", verbose_name=_("batch")
    )
    received_at = models.DateTimeField(_("received at"))

    objects = DepartmentDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("source record")
        verbose_name_plural = _("source records")
        ordering = ["entity_id", "department_id", "source_kind", "record_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "source_kind", "record_key"],
                name="exchange_sourcerecord_department_kind_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_kind}:{self.record_key}"


class FieldProvenance(models.Model):
    """Which department said what about the fields of an entity, in which batch, when.

    One row per statement: the fields (``{field name: value}``) whose value one batch of one
    department gave for the first time or changed; unchanged fields are not repeated. The
    current provenance of a field is the department's latest row (highest id) naming it, so
    each field keeps its own batch and time. One row per entity and batch instead of one per
    field keeps a 100,000-row import at 100,000 rows here (not 900,000).
    """

    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.CASCADE,
        related_name="field_provenance",
        verbose_name=_("entity"),
        db_index=False,  # the (entity, department, id) index serves lookups by entity
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    values = models.JSONField(_("values"), default=dict)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="+", verbose_name=_("batch")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("field provenance")
        verbose_name_plural = _("field provenance")
        ordering = ["entity_id", "department_id", "id"]
        indexes = [
            models.Index(
                fields=["entity", "department", "id"],
                name="exchange_prov_entity_dept",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity_id}:{self.department_id}:{self.batch_id}"


def current_fields(
    statements: Iterable[tuple[int, dict[str, str]]],
) -> dict[str, tuple[str, int]]:
    """``{field name: (value, statement id)}`` from one department's statements about one
    entity, as ``(id, values)`` pairs: the latest statement naming a field wins."""
    fields: dict[str, tuple[str, int]] = {}
    for statement_id, values in sorted(statements, key=lambda s: s[0]):
        for name, value in values.items():
            fields[name] = (value, statement_id)
    return fields


class ApiReceipt(models.Model):
    """The first outcome of one API record, per idempotency key (a replay returns it)."""

    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    source_kind = models.CharField(_("kind"), max_length=32, choices=source_kind_choices)
    idempotency_key = models.CharField(_("idempotency key"), max_length=128)
    outcome = models.CharField(_("outcome"), max_length=16, choices=RowOutcome.choices)
    reasons = models.JSONField(_("reasons"), default=list)
    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entity"),
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("batch")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API receipt")
        verbose_name_plural = _("API receipts")
        ordering = ["department_id", "source_kind", "idempotency_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "source_kind", "idempotency_key"],
                name="exchange_apireceipt_department_kind_key_unique",
            )
        ]

    def __str__(self) -> str:
        return self.idempotency_key


class AlertQuerySet(ScopedQuerySet["DataQualityAlert"]):
    """Alerts are seen by members of the departments concerned."""

    scope_region_field = None

    def visible_to(self, user: Any, action: str = "view") -> AlertQuerySet:
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        permission = VIEW_ALERTS if action == "view" else f"exchange.{action}_dataqualityalert"
        ids_set = {m.department_id for m in scope.members_with(permission)}
        if action == "view":
            ids_set |= overseen_department_ids(user, permission) or frozenset()
        ids = sorted(ids_set)
        return self.filter(
            pk__in=DataQualityAlert.departments.through.objects.filter(
                department_id__in=ids
            ).values("dataqualityalert_id")
        )


class DataQualityAlert(PublicIdModel, TimeStampedModel):
    """A contradiction between departments about one entity, for the departments concerned."""

    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.CASCADE,
        related_name="data_quality_alerts",
        verbose_name=_("entity"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=AlertKind.choices)
    departments = models.ManyToManyField(
        "accounts.Department", related_name="+", verbose_name=_("departments concerned")
    )
    details = models.JSONField(_("details"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    detected_at = models.DateTimeField(_("detected at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("data-quality alert")
        verbose_name_plural = _("data-quality alerts")
        ordering = ["-detected_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "kind"],
                condition=~Q(status="resolved"),
                name="exchange_alert_one_unresolved_per_entity_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.entity_id})"

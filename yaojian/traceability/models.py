"""ORM models of the traceability app: batches and alerts only (the events live in Parquet)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import ScopedQuerySet
from yaojian.core.models import PublicIdModel, TimeStampedModel, choice_label
from yaojian.traceability.choices import AlertStatus, BatchStatus, CloseReason, Rule


class IngestBatch(PublicIdModel, TimeStampedModel):
    """One ingest of a folder of trace-event files (idempotent by its key)."""

    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    source = models.CharField(_("source"), max_length=16, default="command")
    status = models.CharField(
        _("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.RUNNING
    )
    rows = models.PositiveBigIntegerField(_("rows read"), default=0)
    accepted = models.PositiveBigIntegerField(_("events stored"), default=0)
    rejected = models.PositiveBigIntegerField(_("rows rejected"), default=0)
    duplicates = models.PositiveBigIntegerField(_("duplicate events ignored"), default=0)
    new_flags = models.PositiveIntegerField(_("new flags"), default=0)
    refused_files = models.JSONField(_("refused files"), default=list, blank=True)
    rejected_file = models.CharField(_("rejected rows file"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    seconds = models.FloatField(_("seconds"), default=0)
    # An upload ingested as a job: the folder its files were saved to, and the job (progress).
    folder = models.CharField(_("folder"), max_length=500, blank=True)
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("trace ingest batch")
        verbose_name_plural = _("trace ingest batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.idempotency_key


class AlertQuerySet(ScopedQuerySet["Alert"]):
    scope_region_field = "region"


class Alert(PublicIdModel, TimeStampedModel):
    """Flags of one rule at one institution, handled as one alert."""

    rule = models.CharField(_("rule"), max_length=4, choices=Rule.choices)
    party_uscc = models.CharField(_("institution USCC"), max_length=18)
    region = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.NEW
    )
    close_reason = models.CharField(
        _("close reason"), max_length=20, choices=CloseReason.choices, blank=True
    )
    close_note = models.TextField(_("close note"), blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    flag_count = models.PositiveIntegerField(_("flags"), default=0)
    source = models.CharField(_("source"), max_length=32, default="trace_scan")
    case_public_id = models.CharField(_("clue"), max_length=40, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("trace alert")
        verbose_name_plural = _("trace alerts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["party_uscc", "rule", "status"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.party_uscc}"

    def codes(self) -> list[str]:
        return [f["code"] for f in self.flags if f.get("code")]


class AlertEvent(models.Model):
    """One step of an alert's history."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.alert_id}: {self.from_status}→{self.to_status}"

    @property
    def from_label(self) -> str:
        """The state before, in words (empty for the alert's first step)."""
        return _status_label(self.from_status)

    @property
    def to_label(self) -> str:
        """The state after, in words."""
        return _status_label(self.to_status)

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.from_status, "to": self.to_status, "note": self.note}


def _status_label(code: str) -> str:
    """An alert state's label (the alert's own status field); an unknown or empty code as it is."""
    return str(choice_label(Alert._meta.get_field("status"), code))

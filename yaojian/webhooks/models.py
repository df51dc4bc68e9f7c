"""Outbound webhooks: endpoints of departments' own systems and the delivery log.

An :class:`Endpoint` belongs to a department and subscribes to event types. Each emitted
event becomes one :class:`Delivery` per subscribed endpoint (unique per endpoint and
idempotency key); each try to send it is a :class:`DeliveryAttempt`.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import ScopedQuerySet
from yaojian.core.models import OwnedByDepartment, PublicIdModel, TimeStampedModel
from yaojian.webhooks.choices import DeliveryStatus


class EndpointQuerySet(ScopedQuerySet["Endpoint"]):
    """Endpoints are seen only by their own department's holders of ``view_endpoint``."""

    scope_region_field = None
    scope_department_field = "department"
    scope_view_permission = "webhooks.view_endpoint"


class Endpoint(PublicIdModel, TimeStampedModel, OwnedByDepartment):
    """A URL of a department's own system that receives signed event notifications."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"), max_length=500, help_text=_("An http or https address that accepts POST.")
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        help_text=_("Shared secret for the HMAC-SHA256 signature; shown once when generated."),
    )
    event_types = models.JSONField(
        _("event types"),
        default=list,
        help_text=_('Dotted event type names, or "*" for every event.'),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["department_id", "name", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name

    def subscribes_to(self, event_type: str) -> bool:
        types: Any = self.event_types or []
        return "*" in types or event_type in types


class DeliveryQuerySet(ScopedQuerySet["Delivery"]):
    """Deliveries are seen by the endpoint's department's holders of ``view_delivery``."""

    scope_region_field = None
    scope_department_field = "endpoint__department"
    scope_view_permission = "webhooks.view_delivery"


class Delivery(PublicIdModel, TimeStampedModel):
    """One event to be delivered to one endpoint, retried until delivered or dead."""

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("endpoint")
    )
    event_type = models.CharField(_("event type"), max_length=100)
    payload = models.JSONField(_("payload"), default=dict)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(
        _("attempts"), default=0, help_text=_("Attempts since the delivery was queued or replayed.")
    )
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last status code"), null=True, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "idempotency_key"],
                name="webhooks_delivery_endpoint_idempotency_key_unique",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due_idx")
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.idempotency_key})"


class DeliveryAttempt(models.Model):
    """One HTTP request made for a delivery, with what came back."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_excerpt = models.TextField(
        _("response excerpt"), blank=True, help_text=_("The first 2 KB of the response body.")
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.started_at.isoformat()}"

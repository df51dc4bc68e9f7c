"""Choices of the webhooks app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    """Where a delivery stands: waiting, sent, retrying after a failure, or given up."""

    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Dead (gave up)")


# A delivery in one of these states is sent when its ``next_attempt_at`` has come.
SENDABLE_STATUSES = frozenset({DeliveryStatus.PENDING, DeliveryStatus.FAILED})
# A delivery in one of these states may be replayed.
REPLAYABLE_STATUSES = frozenset({DeliveryStatus.DELIVERED, DeliveryStatus.DEAD})

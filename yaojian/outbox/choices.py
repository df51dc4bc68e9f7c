"""Choices of the outbox app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    """Where a hand-off stands.

    pending → running → delivered; a failure → failed (retried with backoff) → … → dead after
    the last attempt; an administrator's replay puts a failed or dead hand-off back to pending.
    A running hand-off whose worker died is taken again once its lease has run out.
    """

    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Dead (gave up)")


# A hand-off in one of these states is taken when its ``next_attempt_at`` has come (for a
# running one: when the lease of the worker that took it has run out).
CLAIMABLE_STATUSES = frozenset({MessageStatus.PENDING, MessageStatus.FAILED, MessageStatus.RUNNING})
# An administrator may replay these (a delivered hand-off's effects are already committed).
REPLAYABLE_STATUSES = frozenset({MessageStatus.FAILED, MessageStatus.DEAD})

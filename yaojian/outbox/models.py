"""The outbox: one row per (published event, subscribed handler).

Written in the publishing transaction, so a committed change always has its hand-offs and a
rolled-back one has none; delivered by the worker at least once, each handler's effects
committed in the same transaction as the row's ``delivered`` mark (exactly once in effect).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import ScopedQuerySet
from yaojian.core.models import PublicIdModel, TimeStampedModel
from yaojian.outbox.choices import MessageStatus


class MessageQuerySet(ScopedQuerySet["Message"]):
    """Seen by holders of ``outbox.view_message`` in the publishing department (and
    superusers); a hand-off without a department is seen by superusers only."""

    scope_region_field = None
    scope_department_field = "department"
    scope_view_permission = "outbox.view_message"


class Message(PublicIdModel, TimeStampedModel):
    """One hand-off: an event to be delivered to one handler, retried until delivered or dead."""

    event_id = models.UUIDField(_("event id"), help_text=_("Shared by the rows of one event."))
    event_type = models.CharField(
        _("event type"), max_length=200, help_text=_("Dotted path of the event class.")
    )
    handler = models.CharField(
        _("handler"), max_length=200, help_text=_("Name the handler was subscribed under.")
    )
    payload = models.JSONField(_("payload"), default=dict)
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=300,
        help_text=_("Event id and handler: the same on every retry and replay."),
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # an event's department id is stored as given, never refused
        verbose_name=_("department"),
        help_text=_("The department whose change published the event, when it names one."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveIntegerField(
        _("attempts"), default=0, help_text=_("Attempts since the hand-off was queued or replayed.")
    )
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        null=True,
        blank=True,
        help_text=_("When it is due; for a running hand-off, when its lease runs out."),
    )
    claim_token = models.UUIDField(_("claim token"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        permissions = [("replay_message", _("Can replay a failed or dead hand-off"))]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], name="outbox_message_idempotency_key_unique"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_message_due_idx")
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.handler} ({self.status})"

    @property
    def event_name(self) -> str:
        """The event class name without its module (for lists)."""
        return self.event_type.rpartition(".")[2]

    @property
    def handler_label(self) -> str:
        """The handler's module and function, shortened (for lists)."""
        return self.handler.removeprefix("yaojian.")

    @property
    def event_display(self) -> str:
        """The event in words (``outbox/labels.py``), its class name when unknown."""
        from yaojian.outbox.labels import event_label

        return event_label(self.event_name)

    @property
    def handler_display(self) -> str:
        """The receiving step in words (``outbox/labels.py``), its code when unknown."""
        from yaojian.outbox.labels import handler_label

        return handler_label(self.handler)

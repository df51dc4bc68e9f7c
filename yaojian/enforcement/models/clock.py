"""Legal clocks of a case: start, due date, paused intervals and approved extensions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yaojian.enforcement.choices import (
    ClockKind,
    ClockState,
    ClockUnit,
    ExtensionState,
    PauseReason,
)
from yaojian.enforcement.models.case import Case


class CaseClock(models.Model):
    """One running (or finished) legal period of a case.

    ``due_on`` is always recomputed by ``enforcement.clocks`` from ``started_on``, the
    period, the approved extensions and the paused intervals — never set by hand.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="clocks", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ClockKind.choices)
    unit = models.CharField(_("unit"), max_length=8, choices=ClockUnit.choices)
    period = models.PositiveIntegerField(_("period"))
    started_on = models.DateField(_("started on"), help_text=_("The start day is excluded."))
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("state"), max_length=16, choices=ClockState.choices, default=ClockState.RUNNING
    )
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    met = models.BooleanField(_("met"), null=True, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible department"),
        help_text=_("The department that must act (a participant for its joint tasks)."),
    )
    label = models.CharField(_("label"), max_length=200, blank=True)
    provisional = models.BooleanField(
        _("computed with a provisional calendar"),
        default=False,
        help_text=_(
            "The due date crosses a year whose official holiday schedule is not yet "
            "published; it is recomputed when the schedule is loaded."
        ),
    )

    class Meta:
        verbose_name = _("case clock")
        verbose_name_plural = _("case clocks")
        ordering = ["case_id", "due_on", "id"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="enforcement_clock_state_due"),
            models.Index(fields=["case", "state"], name="enforcement_clock_case_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.due_on}"

    @property
    def is_active(self) -> bool:
        return self.state != ClockState.STOPPED


class ClockPause(models.Model):
    """Time excluded from a clock: the days in (started_on, ended_on] do not count."""

    clock = models.ForeignKey(
        CaseClock, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("clock")
    )
    reason = models.CharField(_("reason"), max_length=16, choices=PauseReason.choices)
    note = models.TextField(_("note"), blank=True)
    started_on = models.DateField(_("paused on"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("paused by"),
    )

    class Meta:
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        ordering = ["clock_id", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="enforcement_clockpause_ended_after_started",
            ),
            models.UniqueConstraint(
                fields=["clock"],
                condition=Q(ended_on__isnull=True),
                name="enforcement_clockpause_one_open_per_clock",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.started_on}–{self.ended_on or ''}"


class ClockExtension(models.Model):
    """An extension of a clock: requested by an officer, approved by the head.

    A collective extension (负责人集体讨论, 第64条) records the term it fixed.
    """

    clock = models.ForeignKey(
        CaseClock, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("clock")
    )
    days = models.PositiveIntegerField(_("length"))
    reason = models.TextField(_("reason"))
    is_collective = models.BooleanField(_("collective decision"), default=False)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ExtensionState.choices,
        default=ExtensionState.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_on = models.DateField(_("requested on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("clock extension")
        verbose_name_plural = _("clock extensions")
        ordering = ["clock_id", "requested_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gt=0), name="enforcement_extension_positive")
        ]

    def __str__(self) -> str:
        return f"+{self.days} ({self.get_state_display()})"

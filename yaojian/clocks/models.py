"""The holiday calendar: which years are covered and the days that differ from Mon–Fri.

A date is a working day (工作日) when it is listed as a make-up working day (调休上班), or
when it is a Monday–Friday not listed as a holiday. Years without a ``CalendarYear`` row are
*not covered*: arithmetic that reaches them fails loudly (DOMAIN.md §5.1) instead of guessing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yaojian.core.models import TimeStampedModel


class YearStatus(models.TextChoices):
    OFFICIAL = "official", _("Official (State Council notice)")
    PROVISIONAL = "provisional", _("Provisional (statutory days only, to be replaced)")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    WORKDAY = "workday", _("Make-up working day")


class CalendarYear(TimeStampedModel):
    """A year whose holidays and make-up working days are in the calendar."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    status = models.CharField(
        _("status"), max_length=16, choices=YearStatus.choices, default=YearStatus.OFFICIAL
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(TimeStampedModel):
    """A day that differs from the Monday–Friday rule: a holiday or a make-up working day."""

    date = models.DateField(_("date"), primary_key=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.kind}"


class PeriodicRun(models.Model):
    """When a periodic task (clocks.schedule) was last enqueued: one row per task name.

    Schedulers claim a tick with a conditional UPDATE on this row, so several scheduler
    processes never enqueue the same tick twice. ``enqueued`` is False from the claim until
    the task is in the queue: a tick whose scheduler died in between is claimed again.
    """

    name = models.CharField(_("name"), max_length=200, primary_key=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)
    enqueued = models.BooleanField(
        _("enqueued"),
        default=True,
        help_text=_("False between claiming a tick and putting its task in the queue."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return self.name

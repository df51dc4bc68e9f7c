"""User-visible long-running work (imports, exports, analytics) with progress."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import ScopedQuerySet
from yaojian.core.models import PublicIdModel, TimeStampedModel
from yaojian.jobs.choices import FINISHED_STATUSES, JobStatus


class JobQuerySet(ScopedQuerySet["Job"]):
    """Jobs are seen by their owner only (superusers see all)."""

    scope_region_field = None
    scope_department_field = None

    def visible_to(self, user: Any, action: str = "view") -> JobQuerySet:
        if getattr(user, "is_superuser", False):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class Job(PublicIdModel, TimeStampedModel):
    """One run of background work that a person waits for and can watch."""

    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jobs",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=255, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    result_file = models.CharField(_("result file"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        """Progress in whole percent (0 when the total is unknown)."""
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

"""Pre-computed figures of the leadership dashboard, one snapshot per region and scope."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """The dashboard's figures for one region as one set of departments sees it.

    ``key`` is the region code and the kinds of department whose work counts
    (``540000:drug_regulator,market_regulator``): a provincial drug regulator and a provincial
    health commission see the same region through different departments. Written only by
    ``services.refresh_snapshot``; the page states ``computed_at``.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    region = models.ForeignKey(
        "territory.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    kinds = models.CharField(_("department kinds"), max_length=160)
    figures = models.JSONField(_("figures"), default=dict)
    summary = models.JSONField(
        _("summary"),
        default=dict,
        help_text=_("The key numbers, read by the first page without the figures."),
    )
    computed_at = models.DateTimeField(_("computed at"))
    duration_ms = models.PositiveIntegerField(_("computed in (ms)"), default=0)
    last_viewed_at = models.DateTimeField(_("last viewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key

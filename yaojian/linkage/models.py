"""Models of the linkage app: the human review queue of uncertain links."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import ScopedQuerySet
from yaojian.core.models import OwnedByDepartment, PublicIdModel, TimeStampedModel
from yaojian.linkage.choices import ReviewState
from yaojian.linkage.permissions import VIEW_REVIEWS


class LinkReviewQuerySet(ScopedQuerySet["LinkReview"]):
    """Reviews belong to the department that queued them; seen by those who may review."""

    scope_region_field = None
    scope_department_field = "department"
    scope_view_permission = VIEW_REVIEWS


class LinkReview(PublicIdModel, TimeStampedModel, OwnedByDepartment):
    """A record the engine could not link with confidence: a human confirms or rejects it."""

    state = models.CharField(
        _("state"), max_length=16, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    source_app = models.CharField(
        _("source app"), max_length=32, help_text=_("The app that queued the review.")
    )
    source_ref = models.CharField(
        _("source reference"),
        max_length=100,
        help_text=_("The queuing app's reference, e.g. an import batch and row."),
    )
    payload = models.JSONField(
        _("payload"), default=dict, blank=True, help_text=_("Returned with the decision.")
    )
    record_key = models.CharField(_("record key"), max_length=100, blank=True)
    record_name = models.CharField(_("name"), max_length=200)
    record_address = models.CharField(_("address"), max_length=255, blank=True)
    record_region_code = models.CharField(_("region code"), max_length=6, blank=True)
    record_credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True
    )
    record_legal_representative = models.CharField(
        _("legal representative"), max_length=64, blank=True
    )
    record_licence_number = models.CharField(_("licence number"), max_length=64, blank=True)
    candidate = models.ForeignKey(
        "registry.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="link_reviews",
        verbose_name=_("candidate entity"),
    )
    probability = models.FloatField(_("match probability"), default=0.0)
    match_weight = models.FloatField(_("match weight"), default=0.0)
    explanation = models.JSONField(
        _("explanation"),
        default=list,
        blank=True,
        help_text=_("Match weight of each comparison: [[label, weight], …]."),
    )
    linked_entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked entity"),
        help_text=_("The entity a confirmed review was linked to."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = LinkReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("link review")
        verbose_name_plural = _("link reviews")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "state", "created_at"], name="linkage_review_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_app", "source_ref"],
                condition=models.Q(state=ReviewState.PENDING),
                name="linkage_linkreview_pending_source_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(probability__gte=0.0) & models.Q(probability__lte=1.0),
                name="linkage_linkreview_probability_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_name} ({self.get_state_display()})"

    @property
    def source_display(self) -> str:
        """Where the record came from, in words: “Data import · line 7” for an import row
        (``<batch>:<line>``), else the app's label and its reference."""
        from django.utils.translation import gettext

        from yaojian.linkage.choices import SOURCE_LABELS

        app = str(SOURCE_LABELS.get(self.source_app, self.source_app))
        if self.source_app == "exchange":
            line = self.source_ref.rpartition(":")[2]
            if line.isdigit():
                return gettext("%(source)s · line %(line)s") % {"source": app, "line": line}
        return f"{app} · {self.source_ref}" if self.source_ref else app

    @property
    def explanation_rows(self) -> list[tuple[str, float]]:
        rows: list[Any] = self.explanation or []
        return [(str(label), float(weight)) for label, weight in rows]

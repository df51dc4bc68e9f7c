"""Models of the portal: penalty information published to the public, and typical cases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import ScopedQuerySet
from yaojian.core.models import OwnedByDepartment, PublicIdModel, TimeStampedModel
from yaojian.portal.choices import DisplayRule, PublicationStatus


class PublicationQuerySet(ScopedQuerySet["Publication"]):
    """Staff see the publications of their own department in its jurisdiction.

    The public reads only through ``selectors.published_penalties`` (published, on display).
    """

    scope_region_field = "region"
    scope_department_field = "department"
    scope_view_permission = "portal.view_publication"


class Publication(PublicIdModel, TimeStampedModel, OwnedByDepartment):
    """One version of the penalty information of one decision (行政处罚信息公示).

    The content is a snapshot of enforcement's ``PenaltyPublication``; the ``public_*`` fields
    are computed when the version is published, with personal data masked, and are the only
    ones the public pages show. A changed decision gets a new version; the old one is withdrawn.
    """

    decision_public_id = models.UUIDField(_("decision"), db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    # Snapshot of the decision.
    decision_number = models.CharField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    department_name = models.CharField(_("deciding department"), max_length=128)
    party_name = models.CharField(_("party"), max_length=200)
    party_credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    party_is_person = models.BooleanField(_("natural person"), default=False)
    party_address = models.CharField(_("address"), max_length=255, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    violation = models.TextField(_("main facts of the violation"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    penalty_summary = models.TextField(_("penalty"))
    penalty_kinds = models.JSONField(_("penalty kinds"), default=list)
    fine_amount = models.DecimalField(
        _("fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    confiscated_amount = models.DecimalField(
        _("confiscated (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    restriction_years = models.PositiveSmallIntegerField(
        _("restriction (years)"), null=True, blank=True
    )
    restriction_lifetime = models.BooleanField(
        _("lifetime restriction"),
        default=False,
        help_text=_("A lifetime ban: displayed for its actual term, with no end date."),
    )
    entity_public_id = models.UUIDField(_("entity"), null=True, blank=True, db_index=True)
    # What the public sees (computed at publication; empty while a draft).
    public_party_name = models.CharField(_("party (as published)"), max_length=200, blank=True)
    public_credit_code = models.CharField(
        _("credit code (as published)"), max_length=18, blank=True
    )
    public_legal_representative = models.CharField(
        _("legal representative (as published)"), max_length=64, blank=True
    )
    public_address = models.CharField(_("address (as published)"), max_length=255, blank=True)
    public_violation = models.TextField(_("facts (as published)"), blank=True)
    public_legal_basis = models.TextField(_("legal basis (as published)"), blank=True)
    public_penalty_summary = models.TextField(_("penalty (as published)"), blank=True)
    # The life cycle.
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    display_rule = models.CharField(_("display period"), max_length=20, choices=DisplayRule.choices)
    publish_by = models.DateField(
        _("publish by"),
        null=True,
        blank=True,
        help_text=_("20 working days after the decision; empty if the calendar does not cover it."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    display_until = models.DateField(_("on display until"), null=True, blank=True)
    withdraw_by = models.DateField(
        _("withdraw by"),
        null=True,
        blank=True,
        help_text=_("3 working days after the decision was changed, revoked or declared void."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    early_stop_conditions = models.JSONField(
        _("early stop conditions"),
        default=list,
        blank=True,
        help_text=_("The conditions of article 14 confirmed when the publication was stopped."),
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("penalty publication")
        verbose_name_plural = _("penalty publications")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision_public_id", "version"],
                name="portal_publication_decision_version_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(display_until__isnull=False),
                name="portal_publication_published_has_display_until",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "display_until", "decided_on"],
                name="portal_publication_on_display",
            ),
            models.Index(fields=["department", "status"], name="portal_publication_dept_status"),
            models.Index(fields=["public_credit_code"], name="portal_publication_credit_code"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} (v{self.version})"


class TypicalCaseQuerySet(ScopedQuerySet["TypicalCase"]):
    """Typical cases are curated by their department; the public sees the published ones."""

    scope_region_field = "region"
    scope_department_field = "department"
    scope_view_permission = "portal.view_typicalcase"


class TypicalCase(PublicIdModel, TimeStampedModel, OwnedByDepartment):
    """A typical case (典型案例) a department curates and publishes as a public lesson."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(_("text"))
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    publication = models.ForeignKey(
        Publication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="typical_cases",
        verbose_name=_("penalty publication"),
        help_text=_("The published penalty information this case is about, if any."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = TypicalCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(
                fields=["is_published", "published_at"], name="portal_typicalcase_published"
            ),
        ]

    def __str__(self) -> str:
        return self.title

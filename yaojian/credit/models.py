"""Credit files: records per entity and person, rule sets, grades and their history, the
serious-dishonesty list, credit repair, overrides of restrictions and the execution ledger."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import ScopedQuerySet, scope_for
from yaojian.core.models import PublicIdModel, TimeStampedModel
from yaojian.credit.choices import (
    Action,
    Grade,
    LedgerState,
    ListingState,
    RecordKind,
    RecordOrigin,
    RecordStatus,
    RemovalKind,
    RepairState,
)

VIEW = "credit.view_creditrecord"


class RuleSet(TimeStampedModel):
    """One version of a province's rule set (a JSON document, checked at save)."""

    province_code = models.CharField(_("province code"), max_length=6)
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("rules"))
    valid_from = models.DateField(_("valid from"))
    is_current = models.BooleanField(_("current"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("credit rule set")
        verbose_name_plural = _("credit rule sets")
        ordering = ["province_code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "version"], name="credit_ruleset_province_version_unique"
            ),
            models.UniqueConstraint(
                fields=["province_code"],
                condition=Q(is_current=True),
                name="credit_ruleset_one_current_per_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_code} v{self.version}"


class CreditRecordQuerySet(ScopedQuerySet["CreditRecord"]):
    """Records are seen in the jurisdiction of the subject's region (``credit.view_creditrecord``)."""

    scope_region_field = "region"
    scope_view_permission = VIEW


class CreditRecord(PublicIdModel, TimeStampedModel):
    """One fact on an entity's (and/or a person's) credit file."""

    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_records",
        verbose_name=_("entity"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_records",
        verbose_name=_("person"),
    )
    region = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=RecordKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )
    origin = models.CharField(_("origin"), max_length=16, choices=RecordOrigin.choices)
    source_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("source department"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    conduct = models.CharField(
        _("conduct"),
        max_length=64,
        blank=True,
        help_text=_("The violation's conduct code (enforcement.fines.CONDUCTS), for the list."),
    )
    occurred_on = models.DateField(_("date"))
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("Empty: never (e.g. a lifetime ban).")
    )
    origin_ref = models.CharField(
        _("origin reference"),
        max_length=100,
        blank=True,
        help_text=_("The decision, listing or import row this record came from."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = CreditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        ordering = ["-occurred_on", "-id"]
        permissions = [("override_restriction", "Can override a credit restriction")]
        constraints = [
            models.CheckConstraint(
                condition=Q(entity__isnull=False) | Q(person__isnull=False),
                name="credit_creditrecord_has_subject",
            ),
            models.UniqueConstraint(
                fields=["origin_ref", "kind", "entity", "person"],
                condition=~Q(origin_ref=""),
                name="credit_creditrecord_origin_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["entity", "kind"], name="credit_record_entity_kind"),
            models.Index(fields=["person", "kind"], name="credit_record_person_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"

    def is_active_on(self, day: Any) -> bool:
        return (
            self.status == RecordStatus.ACTIVE
            and self.occurred_on <= day
            and (self.expires_on is None or self.expires_on > day)
        )


class CreditGrade(models.Model):
    """The current grade of an entity (written by the set-based recomputation)."""

    entity = models.OneToOneField(
        "registry.Entity",
        on_delete=models.CASCADE,
        related_name="credit_grade",
        verbose_name=_("entity"),
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    score = models.IntegerField(_("score"))
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("rule set")
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("credit grade")
        verbose_name_plural = _("credit grades")
        ordering = ["entity_id"]
        indexes = [models.Index(fields=["grade"], name="credit_grade_grade")]

    def __str__(self) -> str:
        return self.grade


class GradeChange(models.Model):
    """The history of grades: one row each time an entity's grade changes."""

    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.CASCADE,
        related_name="credit_grade_changes",
        verbose_name=_("entity"),
    )
    from_grade = models.CharField(_("from grade"), max_length=1, blank=True)
    to_grade = models.CharField(_("to grade"), max_length=1)
    score = models.IntegerField(_("score"))
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("rule set")
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["entity", "changed_at"], name="credit_gradechange_entity")]

    def __str__(self) -> str:
        return f"{self.from_grade}→{self.to_grade}"


class ListingQuerySet(ScopedQuerySet["Listing"]):
    scope_region_field = "entity__region"
    scope_view_permission = VIEW


class Listing(PublicIdModel, TimeStampedModel):
    """An entry of the serious-dishonesty list (严重违法失信名单, DOMAIN.md §2.5)."""

    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.PROTECT,
        related_name="credit_listings",
        verbose_name=_("entity"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("listing department"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ListingState.choices, default=ListingState.PROPOSED
    )
    penalty_record = models.ForeignKey(
        CreditRecord,
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("qualifying penalty"),
    )
    triggers = models.JSONField(_("triggers"), default=list)
    reasons = models.TextField(_("reasons"))
    decided_on = models.DateField(_("decided on"))
    needs_approval = models.BooleanField(_("needs upper-level approval"), default=False)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    publish_due_on = models.DateField(_("publish by"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    listed_until = models.DateField(_("listed until"), null=True, blank=True)
    removal_applied_on = models.DateField(_("removal applied on"), null=True, blank=True)
    removal_accept_due_on = models.DateField(_("accept by"), null=True, blank=True)
    removal_accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    removal_decide_due_on = models.DateField(_("decide by"), null=True, blank=True)
    removal_reasons = models.TextField(_("removal reasons"), blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_kind = models.CharField(
        _("removal kind"), max_length=16, choices=RemovalKind.choices, blank=True
    )
    stop_publication_due_on = models.DateField(_("stop publication by"), null=True, blank=True)
    publication_stopped_on = models.DateField(_("publication stopped on"), null=True, blank=True)
    relisted_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relisted from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("serious-dishonesty listing")
        verbose_name_plural = _("serious-dishonesty listings")
        ordering = ["-decided_on", "-id"]
        permissions = [("approve_listing", "Can approve a serious-dishonesty listing")]

    def __str__(self) -> str:
        return f"{self.entity} ({self.get_state_display()})"


class RepairQuerySet(ScopedQuerySet["RepairApplication"]):
    scope_region_field = "record__region"
    scope_view_permission = VIEW


class RepairApplication(PublicIdModel, TimeStampedModel):
    """An entity's application for credit repair (信用修复) of one record (DOMAIN.md §2.4)."""

    record = models.ForeignKey(
        CreditRecord,
        on_delete=models.PROTECT,
        related_name="repairs",
        verbose_name=_("record"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=RepairState.choices, default=RepairState.APPLIED
    )
    applied_on = models.DateField(_("applied on"))
    penalty_complied = models.BooleanField(_("the penalty has been complied with"))
    harm_remedied = models.BooleanField(_("the harm has been remedied"))
    statement = models.TextField(_("statement"), blank=True)
    failed_conditions = models.JSONField(_("failed conditions"), default=list)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons of the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    objects = RepairQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit repair application")
        verbose_name_plural = _("credit repair applications")
        ordering = ["-applied_on", "-id"]

    def __str__(self) -> str:
        return f"{self.record} ({self.get_state_display()})"


class Override(TimeStampedModel):
    """A head's recorded override of a restriction at a decision (audited)."""

    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entity"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    reasons_shown = models.JSONField(_("restrictions shown"), default=list)
    reason = models.TextField(_("reason"))
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("overridden by"),
    )
    valid_until = models.DateField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("used by"),
    )

    class Meta:
        verbose_name = _("restriction override")
        verbose_name_plural = _("restriction overrides")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.action


class LedgerQuerySet(models.QuerySet["LedgerEntry"]):
    def visible_to(self, user: Any, action: str = "view") -> LedgerQuerySet:
        """The applying department's members, and whoever sees the listing."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        own = sorted(scope.department_ids)
        if action != "view":
            return self.filter(department_id__in=own)
        listings = Listing.objects.visible_to(user).values("pk")
        return self.filter(Q(department_id__in=own) | Q(listing_id__in=listings))


class LedgerEntry(PublicIdModel, TimeStampedModel):
    """Joint-punishment execution: one measure one department must apply, and what it did."""

    listing = models.ForeignKey(
        Listing, on_delete=models.PROTECT, related_name="ledger", verbose_name=_("listing")
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    measure = models.CharField(_("measure"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    state = models.CharField(
        _("state"), max_length=16, choices=LedgerState.choices, default=LedgerState.PENDING
    )
    due_on = models.DateField(_("confirm by"))
    notice_public_id = models.UUIDField(_("notice"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("execution ledger entry")
        verbose_name_plural = _("execution ledger entries")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "department", "measure"], name="credit_ledgerentry_unique"
            )
        ]

    def __str__(self) -> str:
        return self.measure


class CheckedDecisionQuerySet(ScopedQuerySet["CheckedDecision"]):
    """Seen in the jurisdiction of the entity's region (``credit.view_creditrecord``)."""

    scope_region_field = "region"
    scope_view_permission = VIEW


class CheckedDecision(PublicIdModel, TimeStampedModel):
    """A favourable decision a department takes outside the registry — granting an honour
    (评优评先) or approving a matter under the notification-and-commitment procedure
    (告知承诺制) — recorded together with its restriction check (处处受限)."""

    action = models.CharField(_("kind of decision"), max_length=32, choices=Action.choices)
    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.PROTECT,
        related_name="credit_checked_decisions",
        verbose_name=_("entity"),
    )
    region = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deciding department"),
    )
    title = models.CharField(
        _("honour or matter"),
        max_length=200,
        help_text=_("The honour granted or the matter approved on the applicant's commitment."),
    )
    decided_on = models.DateField(_("date decided"))
    restrictions_overridden = models.JSONField(
        _("restrictions overridden"),
        default=list,
        blank=True,
        help_text=_("The restrictions a head overrode for this decision (empty: none applied)."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = CheckedDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("checked decision")
        verbose_name_plural = _("checked decisions")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["honour", "commitment"]),
                name="credit_checkeddecision_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.title}"

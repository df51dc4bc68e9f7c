"""The case (执法案件), its officers, participating departments and its own step log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from yaojian.core.models import PublicIdModel, TimeStampedModel
from yaojian.enforcement.access import departments_with
from yaojian.enforcement.choices import (
    CITIZEN_PARTY_KINDS,
    CaseStage,
    ClueSource,
    OfficerRole,
    PartyKind,
)


class CaseQuerySet(models.QuerySet["Case"]):
    """Cases are seen by their lead department and, partly, by participating departments."""

    def visible_to(self, user: Any, action: str = "view") -> CaseQuerySet:
        """Cases ``user`` may ``action``.

        ``view``: the lead department's members holding ``enforcement.view_case``, and the
        participating departments' (their pages show only the participant's parts).
        Other actions (``change``, ``approve``, ``review``): the lead department's members
        holding ``enforcement.<action>_case``.
        """
        permission = f"enforcement.{action}_case"
        ids = departments_with(user, permission)
        if ids is None:
            return self.all()
        if not ids:
            return self.none()
        if action != "view":
            return self.filter(department_id__in=sorted(ids))
        participant = CaseParticipant.objects.filter(
            case_id=OuterRef("pk"), department_id__in=sorted(ids)
        )
        return self.filter(Q(department_id__in=sorted(ids)) | Exists(participant))

    def led_by(self, user: Any, action: str = "view") -> CaseQuerySet:
        """Cases whose lead department is one of the user's (with ``action``)."""
        ids = departments_with(user, f"enforcement.{action}_case")
        if ids is None:
            return self.all()
        return self.filter(department_id__in=sorted(ids))


class Case(PublicIdModel, TimeStampedModel):
    """An enforcement case (执法案件), from the clue to the closure.

    ``next_due_on`` and ``next_clock_kind`` repeat the most urgent running clock, so the
    lists sort by urgency and filter overdue / due soon from an index.
    """

    number = models.CharField(_("case number"), max_length=64, unique=True)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
        verbose_name=_("lead department"),
    )
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
        verbose_name=_("region"),
        help_text=_("Where the conduct took place."),
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=CaseStage.choices, default=CaseStage.CLUE
    )
    source = models.CharField(_("clue source"), max_length=32, choices=ClueSource.choices)
    source_reference = models.CharField(
        _("source reference"),
        max_length=128,
        blank=True,
        help_text=_("The number of the inspection, complaint, test report or notice."),
    )
    title = models.CharField(_("title"), max_length=200)
    facts = models.TextField(_("facts"), blank=True)
    entity = models.ForeignKey(
        "registry.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_cases",
        verbose_name=_("entity"),
    )
    party_name = models.CharField(_("party"), max_length=200)
    party_credit_code = models.CharField(
        _("party's unified social credit code"), max_length=18, blank=True
    )
    party_is_person = models.BooleanField(_("the party is a natural person"), default=False)
    party_kind = models.CharField(
        _("kind of party"),
        max_length=24,
        choices=PartyKind.choices,
        default=PartyKind.ORGANISATION,
        help_text=_("Organisation, natural person or individual business."),
    )
    party_id_number = models.CharField(
        _("party's identity card number"), max_length=18, blank=True, help_text=_("Personal data.")
    )
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    clue_received_on = models.DateField(_("clue received on"))
    is_major = models.BooleanField(
        _("major case"),
        default=False,
        help_text=_("Major cases need a legal review (法制审核) and a collective decision."),
    )
    not_filed_reason = models.TextField(_("reason for not filing"), blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    served_on = models.DateField(_("served on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    next_due_on = models.DateField(_("next due on"), null=True, blank=True)
    next_clock_kind = models.CharField(_("next clock"), max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = CaseQuerySet.as_manager()

    @property
    def party_is_citizen(self) -> bool:
        """A natural person or an individual business: a citizen's hearing thresholds."""
        return self.party_kind in CITIZEN_PARTY_KINDS

    class Meta:
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["department", "stage", "next_due_on", "id"],
                name="enforcement_case_dept_stage",
            ),
            models.Index(
                fields=["department", "next_due_on", "id"], name="enforcement_case_dept_due"
            ),
            models.Index(fields=["region", "stage"], name="enforcement_case_region_stage"),
            models.Index(fields=["entity", "stage"], name="enforcement_case_entity_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.stage not in (CaseStage.CLOSED, CaseStage.NOT_FILED)


class EnforcementCredential(TimeStampedModel):
    """An officer's enforcement credential (执法证); filing needs two officers holding one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enforcement_credentials",
        verbose_name=_("officer"),
    )
    number = models.CharField(_("credential number"), max_length=64, unique=True)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    is_revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("enforcement credential")
        verbose_name_plural = _("enforcement credentials")
        ordering = ["user_id", "-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("issued_on")),
                name="enforcement_credential_valid_after_issued",
            )
        ]

    def __str__(self) -> str:
        return self.number


class CaseOfficer(TimeStampedModel):
    """An officer assigned to a case (承办人)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="officers", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enforcement_assignments",
        verbose_name=_("officer"),
    )
    role = models.CharField(_("role"), max_length=16, choices=OfficerRole.choices)
    credential = models.ForeignKey(
        EnforcementCredential,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("credential"),
    )

    class Meta:
        verbose_name = _("case officer")
        verbose_name_plural = _("case officers")
        ordering = ["case_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], name="enforcement_caseofficer_case_user_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "case"], name="enforcement_officer_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class CaseParticipant(TimeStampedModel):
    """A participating department of a joint case (联合办案)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="participants", verbose_name=_("case")
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="enforcement_participations",
        verbose_name=_("department"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("participating department")
        verbose_name_plural = _("participating departments")
        ordering = ["case_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "department"],
                name="enforcement_caseparticipant_case_department_unique",
            )
        ]
        indexes = [models.Index(fields=["department", "case"], name="enforcement_part_dept")]

    def __str__(self) -> str:
        return str(self.department)


class CaseStep(models.Model):
    """One step of the case's own log: what was done, by whom, when (the timeline)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="steps", verbose_name=_("case")
    )
    action = models.CharField(_("action"), max_length=64)
    from_stage = models.CharField(_("from stage"), max_length=16, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=16, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    note = models.TextField(_("note"), blank=True)
    is_lead_only = models.BooleanField(
        _("lead department only"),
        default=False,
        help_text=_("Steps about evidence or personal data are hidden from participants."),
    )

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case_id", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.action}"

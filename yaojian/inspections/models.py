"""Inspections: risk ratings, plans, double-random draws, on-site records, samples."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import jurisdiction_q, overseen_department_ids, scope_for
from yaojian.core.models import OwnedByDepartment, PublicIdModel, TimeStampedModel
from yaojian.inspections.choices import (
    Answer,
    Conclusion,
    InspectionKind,
    InspectionState,
    PlanKind,
    PlanState,
    Rating,
    Remit,
    SampleState,
    Severity,
)


def _department_ids(user: Any, permission: str) -> frozenset[int] | None:
    """The user's departments whose role grants ``permission`` (``None``: superuser)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return None
    return frozenset(m.department_id for m in scope.members_with(permission))


class RiskConfig(TimeStampedModel):
    """A province's configuration of the frequency engine (overrides of ``rating.DEFAULTS``)."""

    province = models.OneToOneField(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    values = models.JSONField(_("settings"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("risk configuration")
        verbose_name_plural = _("risk configurations")

    def __str__(self) -> str:
        return str(self.province)


class EntityRatingQuerySet(models.QuerySet["EntityRating"]):
    def visible_to(self, user: Any, action: str = "view") -> EntityRatingQuerySet:
        return self.filter(jurisdiction_q(user, "entity__region"))


class EntityRating(models.Model):
    """The last computed worksheet of one entity: rating, interval, floor and due date."""

    entity = models.OneToOneField(
        "registry.Entity",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="inspection_rating",
        verbose_name=_("entity"),
    )
    region = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    intrinsic = models.PositiveSmallIntegerField(_("intrinsic risk"))
    compliance = models.PositiveSmallIntegerField(_("compliance risk"))
    rating = models.CharField(_("rating"), max_length=8, choices=Rating.choices)
    interval_months = models.PositiveSmallIntegerField(_("interval (months)"))
    floor_months = models.PositiveSmallIntegerField(_("statutory floor (months)"))
    floor_rule = models.CharField(_("floor rule"), max_length=48)
    credit_grade = models.CharField(_("credit grade"), max_length=1, blank=True)
    factors = models.JSONField(_("factors"), default=dict)
    last_inspected_on = models.DateField(_("last inspected on"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    computed_at = models.DateTimeField(_("computed at"))

    objects = EntityRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("entity rating")
        verbose_name_plural = _("entity ratings")
        indexes = [models.Index(fields=["region", "due_on"], name="insp_rating_region_due")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.rating}"


class PlanQuerySet(models.QuerySet["Plan"]):
    """Plans are seen by the members of their department and of the joint departments
    (``inspections.view_plan``) and by those who oversee them; other actions stay in the
    plan's own department."""

    def visible_to(self, user: Any, action: str = "view") -> PlanQuerySet:
        ids = _department_ids(user, f"inspections.{action}_plan")
        if ids is None:
            return self.all()
        q = Q(department_id__in=sorted(ids))
        if action == "view":
            q |= Q(joint_departments__in=sorted(ids))
            overseen = overseen_department_ids(user, "inspections.view_plan")
            if overseen:
                q |= Q(department_id__in=sorted(overseen))
        return self.filter(q).distinct()


class Plan(PublicIdModel, TimeStampedModel, OwnedByDepartment):
    """An annual or ad-hoc inspection plan of a department (joint plans name the others)."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=PlanKind.choices)
    title = models.CharField(_("title"), max_length=200)
    items = models.JSONField(_("inspection items"), default=list)
    scope = models.JSONField(_("scope"), default=dict, blank=True)
    proportion = models.DecimalField(_("proportion (%)"), max_digits=5, decimal_places=2)
    inspectors_per_entity = models.PositiveSmallIntegerField(_("inspectors per entity"), default=2)
    exclude_cell_officers = models.BooleanField(
        _("exclude the officers responsible for the cell"), default=True
    )
    inspection_kind = models.CharField(
        _("inspection kind"), max_length=32, choices=InspectionKind.choices
    )
    joint_departments = models.ManyToManyField(
        "accounts.Department",
        blank=True,
        related_name="joint_inspection_plans",
        verbose_name=_("joint departments"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.title


class Conflict(TimeStampedModel):
    """A declared relation or a recusal: the inspector is never drawn for the entity
    (for every plan, or for one plan when ``plan`` is set)."""

    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inspection_conflicts",
        verbose_name=_("inspector"),
    )
    entity = models.ForeignKey(
        "registry.Entity", on_delete=models.CASCADE, related_name="+", verbose_name=_("entity")
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="recusals"
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")

    def __str__(self) -> str:
        return f"{self.inspector_id}↔{self.entity_id}"


class Draw(PublicIdModel, TimeStampedModel):
    """One double-random draw of a plan: the snapshots, the seed, the algorithm and the
    result's hash, so that anyone can run it again (``manage.py verify_draw``)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="draws")
    seed = models.CharField(_("seed"), max_length=64)
    algorithm = models.CharField(_("algorithm version"), max_length=32)
    proportion = models.DecimalField(_("proportion (%)"), max_digits=5, decimal_places=2)
    strata = models.JSONField(
        _("proportions by credit grade"),
        default=list,
        blank=True,
        help_text=_(
            "For a draw by credit grade (draw-v2): per grade the proportion, the entities in "
            "the pool and those drawn. Empty: one proportion for the whole pool."
        ),
    )
    team_size = models.PositiveSmallIntegerField(_("inspectors per entity"))
    pool_size = models.PositiveIntegerField(_("entities in the pool"))
    pool_hash = models.CharField(_("pool snapshot hash"), max_length=64)
    pool_blob = models.BinaryField(_("pool snapshot"))
    inspector_count = models.PositiveIntegerField(_("inspectors in the pool"))
    inspector_hash = models.CharField(_("inspector pool hash"), max_length=64)
    inspector_blob = models.BinaryField(_("inspector pool snapshot"))
    drawn_count = models.PositiveIntegerField(_("entities drawn"))
    result_hash = models.CharField(_("result hash"), max_length=64)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("double-random draw")
        verbose_name_plural = _("double-random draws")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} #{self.pk}"


class DrawnEntity(models.Model):
    """An entity drawn, in the order of the draw."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="entities")
    position = models.PositiveIntegerField()
    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["draw_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "position"], name="insp_drawn_position")
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}#{self.position}"


class Assignment(models.Model):
    """An inspector drawn for a drawn entity (the team is the entity's assignments)."""

    drawn = models.ForeignKey(DrawnEntity, on_delete=models.CASCADE, related_name="team")
    slot = models.PositiveSmallIntegerField()
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_assignments"
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["drawn_id", "slot"]

    def __str__(self) -> str:
        return f"{self.drawn_id}/{self.slot}"


class InspectionQuerySet(models.QuerySet["Inspection"]):
    """Inspections are seen by the members of their department (``view_inspection``), by
    those who oversee it, and by the inspectors on the team; the team records them (members
    of a joint plan's departments included)."""

    def visible_to(self, user: Any, action: str = "view") -> InspectionQuerySet:
        ids = _department_ids(user, f"inspections.{action}_inspection")
        if ids is None:
            return self.all()
        q = Q(department_id__in=sorted(ids))
        if action == "view":
            overseen = overseen_department_ids(user, "inspections.view_inspection")
            if overseen:
                q |= Q(department_id__in=sorted(overseen))
        if getattr(user, "pk", None):
            team = Q(inspectors=user)
            if action == "view":
                q |= team
            elif action == "change":
                # The team records; in a joint plan (部门联合抽查) its members from the joint
                # departments too, although the inspection belongs to the lead department.
                q = (q | Q(plan__joint_departments__in=sorted(ids))) & team
        return self.filter(pk__in=self.filter(q).values("pk"))


class Inspection(PublicIdModel, TimeStampedModel, OwnedByDepartment):
    """An on-site inspection: checklist, findings, files, signature, conclusion."""

    entity = models.ForeignKey(
        "registry.Entity", on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("inspection kind"), max_length=32, choices=InspectionKind.choices)
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections"
    )
    drawn = models.OneToOneField(
        DrawnEntity, on_delete=models.PROTECT, null=True, blank=True, related_name="inspection"
    )
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=InspectionState.choices, default=InspectionState.PLANNED
    )
    scheduled_on = models.DateField(_("scheduled for"))
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="inspections", verbose_name=_("inspectors")
    )
    answers = models.JSONField(_("checklist answers"), default=dict, blank=True)
    conclusion = models.CharField(
        _("conclusion"), max_length=16, choices=Conclusion.choices, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    signed_by = models.CharField(_("signed by (entity)"), max_length=64, blank=True)
    refused = models.BooleanField(_("the entity refused to sign"), default=False)
    refusal_note = models.CharField(_("refusal noted"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    publish_due_on = models.DateField(_("publish by"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-scheduled_on", "-id"]
        indexes = [
            models.Index(fields=["entity", "inspected_on"], name="insp_entity_inspected"),
            models.Index(fields=["state", "publish_due_on"], name="insp_state_publish"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.scheduled_on}"


class Finding(TimeStampedModel):
    """A finding of an inspection, graded, with the clause it breaches."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    clause = models.CharField(_("clause"), max_length=200)
    description = models.TextField(_("description"))
    item = models.CharField(_("checklist item"), max_length=32, blank=True)
    remit = models.CharField(_("remit"), max_length=32, choices=Remit.choices, blank=True)
    case = models.ForeignKey(
        "enforcement.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection_id", "id"]

    def __str__(self) -> str:
        return self.clause


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"inspections/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(TimeStampedModel):
    """A photo or a file taken during an inspection, with its SHA-256."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_photo = models.BooleanField(_("photo"), default=False)

    class Meta:
        verbose_name = _("inspection file")
        verbose_name_plural = _("inspection files")
        ordering = ["inspection_id", "id"]

    def __str__(self) -> str:
        return self.name


class SampleQuerySet(models.QuerySet["Sample"]):
    def visible_to(self, user: Any, action: str = "view") -> SampleQuerySet:
        ids = _department_ids(user, f"inspections.{action}_sample")
        if ids is None:
            return self.all()
        return self.filter(department_id__in=sorted(ids))


class Sample(PublicIdModel, TimeStampedModel, OwnedByDepartment):
    """A sample taken for testing (抽检), with the laboratory's result."""

    number = models.CharField(_("sample number"), max_length=32, unique=True)
    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(
        Inspection, on_delete=models.SET_NULL, null=True, blank=True, related_name="samples"
    )
    product_name = models.CharField(_("product"), max_length=200)
    risk_class = models.CharField(_("product risk class"), max_length=32, blank=True)
    batch_number = models.CharField(_("batch number"), max_length=64, blank=True)
    sampled_on = models.DateField(_("sampled on"))
    state = models.CharField(
        _("state"), max_length=16, choices=SampleState.choices, default=SampleState.AT_LAB
    )
    result_on = models.DateField(_("result on"), null=True, blank=True)
    lab_report_number = models.CharField(_("laboratory report number"), max_length=64, blank=True)
    failed_items = models.CharField(_("failed items"), max_length=255, blank=True)
    case = models.ForeignKey(
        "enforcement.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SampleQuerySet.as_manager()

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        ordering = ["-sampled_on", "-id"]

    def __str__(self) -> str:
        return self.number


__all__ = ["Answer", "Conclusion", "Rating", "Remit", "Severity"]

"""Serializers of the inspections API: shape and input validation only (the services decide)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from yaojian.inspections import checklists
from yaojian.inspections.choices import (
    Answer,
    Conclusion,
    InspectionKind,
    PlanKind,
    Remit,
    Severity,
)
from yaojian.inspections.models import (
    Attachment,
    Draw,
    DrawnEntity,
    EntityRating,
    Inspection,
    Plan,
)
from yaojian.registry.choices import EntityKind, RiskClass

CREDIT_GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]


def _grade_share(grade: str, help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        help_text=f"Grade {grade}: {help_text} (%); absent: the plan's proportion.",
    )


class GradeProportionsSerializer(serializers.Serializer[Any]):
    """Proportions by credit grade (DOMAIN.md §2.8); entities without a grade, and grades not
    given, are drawn at the plan's proportion."""

    A = _grade_share("A", "low risk, reduced or 0")
    B = _grade_share("B", "normal risk, the normal rate")
    C = _grade_share("C", "higher risk, increased")
    D = _grade_share("D", "high risk, sharply increased")


class StratumSerializer(serializers.Serializer[Any]):
    """What a draw by credit grade took from one grade ("" = entities without a grade)."""

    grade = serializers.CharField(allow_blank=True)
    proportion = serializers.CharField(help_text="The grade's proportion, in %.")
    pool = serializers.IntegerField(help_text="Entities of the grade in the pool.")
    drawn = serializers.IntegerField(help_text="Entities of the grade drawn.")


class PlanScopeSerializer(serializers.Serializer[Any]):
    """Which entities the plan's pool holds (empty: the department's whole jurisdiction)."""

    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=EntityKind.choices), required=False
    )
    risk_classes = serializers.ListField(
        child=serializers.ChoiceField(choices=RiskClass.choices), required=False
    )
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=6,
        help_text="A region code inside the department's jurisdiction.",
    )
    due_only = serializers.BooleanField(
        required=False, help_text="Only entities due for inspection in the plan's year."
    )
    credit_grades = serializers.ListField(
        child=serializers.ChoiceField(choices=CREDIT_GRADES),
        required=False,
        help_text="A targeted draw: only entities of these credit grades.",
    )
    grade_proportions = GradeProportionsSerializer(
        required=False,
        help_text="A draw by credit grade (draw-v2): a proportion per grade.",
    )


class PlanSerializer(serializers.ModelSerializer[Plan]):
    """An inspection plan as the API gives it."""

    department = serializers.CharField(source="department.code", read_only=True)
    joint_departments = serializers.SerializerMethodField()
    scope = PlanScopeSerializer(read_only=True)
    draw_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Plan
        fields = [
            "public_id",
            "department",
            "year",
            "kind",
            "title",
            "items",
            "scope",
            "proportion",
            "inspectors_per_entity",
            "exclude_cell_officers",
            "inspection_kind",
            "joint_departments",
            "state",
            "draw_count",
            "created_at",
        ]
        read_only_fields = fields

    def get_joint_departments(self, obj: Plan) -> list[str]:
        """The codes of the joint departments (部门联合抽查)."""
        return [d.code for d in obj.joint_departments.all()]


class PlanCreateSerializer(serializers.Serializer[Any]):
    """A new plan; the department defaults to the caller's first one that may make plans."""

    department = serializers.UUIDField(
        required=False, help_text="The planning department's public id; default: your first."
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    kind = serializers.ChoiceField(choices=PlanKind.choices)
    title = serializers.CharField(max_length=200)
    items = serializers.ListField(
        child=serializers.ChoiceField(choices=checklists.SPOT_CHECK_ITEMS),
        allow_empty=False,
        help_text="Items of the 抽查事项清单.",
    )
    proportion = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        help_text="The share of the pool to draw, in %.",
    )
    inspection_kind = serializers.ChoiceField(choices=InspectionKind.choices)
    scope = PlanScopeSerializer(required=False)
    inspectors_per_entity = serializers.IntegerField(min_value=2, max_value=6, default=2)
    exclude_cell_officers = serializers.BooleanField(default=True)
    joint_departments = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        help_text="Public ids of the departments inspecting jointly (部门联合抽查).",
    )


class DrawCreateSerializer(serializers.Serializer[Any]):
    seed = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="The seed; empty or absent: a random one (stored and shown either way).",
    )


class DrawSerializer(serializers.ModelSerializer[Draw]):
    """A double-random draw: everything needed to run it again and compare."""

    plan = serializers.UUIDField(source="plan.public_id", read_only=True)
    drawn_by = serializers.CharField(source="drawn_by.username", default=None, read_only=True)
    strata = StratumSerializer(
        many=True,
        read_only=True,
        help_text="A draw by credit grade: per grade A, B, C, D and '' (none). Empty otherwise.",
    )

    class Meta:
        model = Draw
        fields = [
            "public_id",
            "plan",
            "seed",
            "algorithm",
            "proportion",
            "strata",
            "team_size",
            "pool_size",
            "pool_hash",
            "inspector_count",
            "inspector_hash",
            "drawn_count",
            "result_hash",
            "drawn_by",
            "created_at",
        ]
        read_only_fields = fields


class TeamMemberSerializer(serializers.Serializer[Any]):
    inspector = serializers.CharField(source="inspector.username")
    department = serializers.CharField(source="department.code")


class DrawnEntitySerializer(serializers.ModelSerializer[DrawnEntity]):
    """An entity drawn, in the draw's order, with its team and its inspection once started."""

    entity = serializers.UUIDField(source="entity.public_id", read_only=True)
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    region = serializers.CharField(source="entity.region_id", read_only=True)
    team = TeamMemberSerializer(many=True, read_only=True)
    inspection = serializers.SerializerMethodField()

    class Meta:
        model = DrawnEntity
        fields = ["position", "entity", "entity_name", "region", "team", "inspection"]
        read_only_fields = fields

    def get_inspection(self, obj: DrawnEntity) -> str | None:
        """The public id of the entity's inspection, once started."""
        inspection = getattr(obj, "inspection", None)
        return str(inspection.public_id) if inspection is not None else None


class VerificationSerializer(serializers.Serializer[Any]):
    verified = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)


class FindingSerializer(serializers.Serializer[Any]):
    """A finding: graded, with the clause and whose remit it falls in (empty: ours)."""

    severity = serializers.ChoiceField(choices=Severity.choices)
    clause = serializers.CharField(max_length=200)
    description = serializers.CharField()
    item = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    remit = serializers.ChoiceField(
        choices=Remit.choices, required=False, allow_blank=True, default=""
    )


class InspectionSerializer(serializers.ModelSerializer[Inspection]):
    """An inspection record."""

    entity = serializers.UUIDField(source="entity.public_id", read_only=True)
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    plan = serializers.UUIDField(source="plan.public_id", default=None, read_only=True)
    inspectors = serializers.SlugRelatedField[Any](many=True, read_only=True, slug_field="username")
    answers = serializers.DictField(child=serializers.CharField(), read_only=True)
    findings = FindingSerializer(many=True, read_only=True)
    conclusion = serializers.ChoiceField(
        choices=Conclusion.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty until the result is recorded.",
    )

    class Meta:
        model = Inspection
        fields = [
            "public_id",
            "entity",
            "entity_name",
            "department",
            "kind",
            "plan",
            "state",
            "scheduled_on",
            "inspected_on",
            "inspectors",
            "answers",
            "conclusion",
            "summary",
            "signed_by",
            "refused",
            "refusal_note",
            "findings",
            "publish_due_on",
            "published_at",
        ]
        read_only_fields = fields


class RecordResultSerializer(serializers.Serializer[Any]):
    """What the team found on site (files are added on the record page)."""

    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=Answer.choices),
        help_text="Checklist item code → answer; every mandatory item must be answered.",
    )
    findings = FindingSerializer(many=True, required=False, default=list)
    conclusion = serializers.ChoiceField(choices=Conclusion.choices)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    signed_by = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    refused = serializers.BooleanField(default=False)
    refusal_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=255
    )
    inspected_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Default: today."
    )


class RatingSerializer(serializers.ModelSerializer[EntityRating]):
    """An entity's risk worksheet: each factor, the rating, the floor that applies, the
    interval and the due date."""

    entity = serializers.UUIDField(source="entity.public_id", read_only=True)
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    factors = serializers.DictField(read_only=True)

    class Meta:
        model = EntityRating
        fields = [
            "entity",
            "entity_name",
            "region",
            "rating",
            "intrinsic",
            "compliance",
            "interval_months",
            "floor_months",
            "floor_rule",
            "credit_grade",
            "factors",
            "last_inspected_on",
            "due_on",
            "computed_at",
        ]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    """A photo or file of an inspection (on-site evidence), named by its SHA-256."""

    class Meta:
        model = Attachment
        fields = ["sha256", "name", "content_type", "size", "is_photo", "created_at"]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer[Any]):
    """A photo (JPEG, PNG, WebP) or a PDF file, at most 10 MB; the type is read from the
    file's first bytes, not from its name."""

    file = serializers.FileField(help_text="multipart/form-data field `file`.")

"""Serializers of the credit API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yaojian.credit.choices import CHECKED_DECISION_CHOICES, Action, RecordKind
from yaojian.credit.models import CheckedDecision, CreditRecord, Listing


class RestrictionQuerySerializer(serializers.Serializer[Any]):
    subject = serializers.CharField(
        required=False, allow_blank=True, help_text="统一社会信用代码 of the entity."
    )
    id_number = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="A person's identity card number: only in the body of a POST.",
    )
    action = serializers.ChoiceField(choices=Action.choices)


class ReasonSerializer(serializers.Serializer[Any]):
    measure = serializers.CharField()
    legal_basis = serializers.CharField()
    source_department = serializers.CharField()
    until = serializers.CharField(allow_blank=True)


class RestrictionAnswerSerializer(serializers.Serializer[Any]):
    restricted = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)


class ListedEntitySerializer(serializers.ModelSerializer[Listing]):
    entity_name = serializers.CharField(source="entity.name")
    unified_social_credit_code = serializers.CharField(source="entity.unified_social_credit_code")
    department = serializers.CharField(source="department.name")

    class Meta:
        model = Listing
        fields = [
            "public_id",
            "entity_name",
            "unified_social_credit_code",
            "department",
            "triggers",
            "approved_on",
            "published_on",
            "listed_until",
        ]


class RecordSerializer(serializers.ModelSerializer[CreditRecord]):
    entity = serializers.SerializerMethodField()
    source_department = serializers.CharField(source="source_department.name")

    class Meta:
        model = CreditRecord
        fields = [
            "public_id",
            "entity",
            "kind",
            "status",
            "origin",
            "source_department",
            "legal_basis",
            "summary",
            "occurred_on",
            "expires_on",
        ]

    def get_entity(self, obj: CreditRecord) -> str | None:
        return obj.entity.unified_social_credit_code if obj.entity else None


class RecordCreateSerializer(serializers.Serializer[Any]):
    subject = serializers.CharField(required=False, allow_blank=True, default="")
    id_number = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)
    kind = serializers.ChoiceField(choices=RecordKind.choices)
    legal_basis = serializers.CharField(max_length=255)
    occurred_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class RepairCreateSerializer(serializers.Serializer[Any]):
    penalty_complied = serializers.BooleanField()
    harm_remedied = serializers.BooleanField()
    statement = serializers.CharField(required=False, allow_blank=True, default="")


class CheckedDecisionSerializer(serializers.ModelSerializer[CheckedDecision]):
    action = serializers.ChoiceField(choices=CHECKED_DECISION_CHOICES, read_only=True)
    entity_name = serializers.CharField(source="entity.name")
    unified_social_credit_code = serializers.CharField(source="entity.unified_social_credit_code")
    department = serializers.CharField(source="department.name")

    class Meta:
        model = CheckedDecision
        fields = [
            "public_id",
            "action",
            "entity_name",
            "unified_social_credit_code",
            "department",
            "title",
            "decided_on",
            "restrictions_overridden",
        ]


class CheckedDecisionCreateSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=CHECKED_DECISION_CHOICES)
    credit_code = serializers.CharField(max_length=32, help_text="统一社会信用代码 of the entity.")
    title = serializers.CharField(max_length=200)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    override_reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )

"""Serializers of the portal API: the public shape (masked fields only) and the staff shape."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yaojian.portal.choices import EarlyStopCondition
from yaojian.portal.models import Publication, TypicalCase


class PublicPenaltySerializer(serializers.ModelSerializer[Publication]):
    """Penalty information as the public sees it: personal data masked, no internal ids."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    party_name = serializers.CharField(source="public_party_name")
    unified_social_credit_code = serializers.CharField(source="public_credit_code")
    legal_representative = serializers.CharField(source="public_legal_representative")
    address = serializers.CharField(source="public_address")
    violation = serializers.CharField(source="public_violation")
    legal_basis = serializers.CharField(source="public_legal_basis")
    penalty = serializers.CharField(source="public_penalty_summary")
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")

    class Meta:
        model = Publication
        fields = [
            "id",
            "decision_number",
            "decided_on",
            "department_name",
            "region",
            "region_name",
            "party_name",
            "unified_social_credit_code",
            "legal_representative",
            "address",
            "violation",
            "legal_basis",
            "penalty",
            "fine_amount",
            "confiscated_amount",
            "published_at",
            "display_until",
        ]
        read_only_fields = fields


class PublicTypicalCaseSerializer(serializers.ModelSerializer[TypicalCase]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    region = serializers.CharField(source="region_id")

    class Meta:
        model = TypicalCase
        fields = ["id", "title", "summary", "body", "region", "published_at"]
        read_only_fields = fields


class PublicationSerializer(serializers.ModelSerializer[Publication]):
    """A publication for its department's staff (unmasked content and the life cycle)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    decision = serializers.UUIDField(source="decision_public_id", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    entity = serializers.UUIDField(source="entity_public_id", read_only=True, allow_null=True)

    class Meta:
        model = Publication
        fields = [
            "id",
            "decision",
            "version",
            "decision_number",
            "decided_on",
            "department",
            "region",
            "entity",
            "party_name",
            "party_credit_code",
            "party_is_person",
            "penalty_kinds",
            "fine_amount",
            "status",
            "display_rule",
            "publish_by",
            "published_at",
            "display_until",
            "withdraw_by",
            "withdrawn_at",
            "stopped_at",
            "expired_at",
            "reason",
            "early_stop_conditions",
            "public_party_name",
            "public_credit_code",
        ]
        read_only_fields = fields


class WithdrawSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class EarlyStopSerializer(serializers.Serializer[Any]):
    conditions = serializers.ListField(
        child=serializers.ChoiceField(choices=EarlyStopCondition.choices)
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)

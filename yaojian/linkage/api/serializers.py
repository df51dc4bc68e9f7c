"""Serializers of the linkage API (shape only; the services validate and write)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yaojian.linkage.models import LinkReview


class LinkReviewSerializer(serializers.ModelSerializer[LinkReview]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    candidate = serializers.SerializerMethodField()
    linked_entity = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()
    record = serializers.SerializerMethodField()

    class Meta:
        model = LinkReview
        fields = [
            "id",
            "state",
            "source_app",
            "source_ref",
            "record",
            "candidate",
            "probability",
            "match_weight",
            "explanation",
            "linked_entity",
            "reason",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_candidate(self, review: LinkReview) -> dict[str, Any] | None:
        entity = review.candidate
        if entity is None:
            return None
        return {
            "id": str(entity.public_id),
            "name": entity.name,
            "address": entity.address,
            "region_code": entity.region_id,
        }

    def get_linked_entity(self, review: LinkReview) -> str | None:
        return str(review.linked_entity.public_id) if review.linked_entity else None

    def get_explanation(self, review: LinkReview) -> list[dict[str, Any]]:
        return [
            {"comparison": label, "weight": weight} for label, weight in review.explanation_rows
        ]

    def get_record(self, review: LinkReview) -> dict[str, str]:
        return {
            "key": review.record_key,
            "name": review.record_name,
            "address": review.record_address,
            "region_code": review.record_region_code,
            "credit_code": review.record_credit_code,
            "legal_representative": review.record_legal_representative,
            "licence_number": review.record_licence_number,
        }


class ConfirmSerializer(serializers.Serializer[Any]):
    entity = serializers.UUIDField(
        required=False, help_text="Public id of another entity to link to (default: the candidate)."
    )


class RejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class LinkFilesSerializer(serializers.Serializer[Any]):
    left = serializers.FileField()
    right = serializers.FileField()
    name_column = serializers.CharField(required=False, allow_blank=True, max_length=64)
    address_column = serializers.CharField(required=False, allow_blank=True, max_length=64)


class JobStartedSerializer(serializers.Serializer[Any]):
    job = serializers.UUIDField()
    status = serializers.CharField()
    url = serializers.CharField()

"""Serializers of the complaints API: never the reporter's identity or contact."""

from __future__ import annotations

from rest_framework import serializers

from yaojian.complaints.models import Complaint


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    """A complaint or report as other systems may see it (no personal data of the reporter)."""

    department = serializers.CharField(source="department.code", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    case = serializers.UUIDField(source="case.public_id", default=None, read_only=True)
    entity = serializers.UUIDField(source="entity.public_id", default=None, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "public_id",
            "number",
            "kind",
            "channel",
            "state",
            "topic",
            "department",
            "region",
            "entity",
            "subject_name",
            "summary",
            "products",
            "is_anonymous",
            "received_on",
            "decided_on",
            "refusal_ground",
            "outcome_kind",
            "outcome",
            "due_on",
            "clock_kind",
            "case",
        ]
        read_only_fields = fields

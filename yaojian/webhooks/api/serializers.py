"""Serializers of the webhooks API: shape and input validation only."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yaojian.webhooks.models import Delivery, DeliveryAttempt, Endpoint


class EndpointSerializer(serializers.ModelSerializer[Endpoint]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)

    class Meta:
        model = Endpoint
        fields = ["id", "department", "name", "url", "event_types", "is_active", "created_at"]


class EndpointWithSecretSerializer(EndpointSerializer):
    """Answer to create and rotate-secret only: the one time the secret is shown."""

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class EndpointWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    url = serializers.CharField(max_length=500)
    event_types = serializers.ListField(child=serializers.CharField(max_length=100))
    is_active = serializers.BooleanField(default=True)
    department = serializers.CharField(
        required=False, help_text="Department code, when the caller administers several."
    )


class DeliveryAttemptSerializer(serializers.ModelSerializer[DeliveryAttempt]):
    class Meta:
        model = DeliveryAttempt
        fields = ["started_at", "duration_ms", "status_code", "response_excerpt", "error"]


class DeliverySerializer(serializers.ModelSerializer[Delivery]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    endpoint = serializers.UUIDField(source="endpoint.public_id", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "endpoint",
            "event_type",
            "idempotency_key",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
        ]


class DeliveryDetailSerializer(DeliverySerializer):
    attempt_log = DeliveryAttemptSerializer(many=True, read_only=True)

    class Meta(DeliverySerializer.Meta):
        fields = [*DeliverySerializer.Meta.fields, "payload", "attempt_log"]

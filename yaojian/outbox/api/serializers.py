"""Serializers of the outbox API (read-only: hand-offs change through the services)."""

from __future__ import annotations

from rest_framework import serializers

from yaojian.outbox.models import Message


class MessageSerializer(serializers.ModelSerializer[Message]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True, default=None)

    class Meta:
        model = Message
        fields = [
            "id",
            "event_id",
            "event_type",
            "handler",
            "idempotency_key",
            "department",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "delivered_at",
            "created_at",
        ]


class MessageDetailSerializer(MessageSerializer):
    class Meta(MessageSerializer.Meta):
        fields = [*MessageSerializer.Meta.fields, "payload"]

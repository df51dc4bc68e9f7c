"""Serializers of the exchange API (shape only; services validate and write)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yaojian.exchange.choices import source_kind_choices
from yaojian.exchange.models import ImportBatch, RejectedRow


class ImportUploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The built-in kinds and those other apps contributed (exchange.plugins).
        self.fields["kind"].choices = source_kind_choices()  # type: ignore[attr-defined]

    file = serializers.FileField()
    department = serializers.CharField(
        required=False, allow_blank=True, help_text="Department code."
    )


class ImportBatchSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    job = serializers.SerializerMethodField()
    error_report = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "department",
            "source_kind",
            "origin",
            "file_name",
            "file_sha256",
            "encoding",
            "status",
            "error",
            "total_rows",
            "accepted_count",
            "rejected_count",
            "unchanged_count",
            "held_count",
            "job",
            "error_report",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_job(self, batch: ImportBatch) -> str | None:
        return str(batch.job.public_id) if batch.job else None

    def get_error_report(self, batch: ImportBatch) -> bool:
        return bool(batch.error_report)


class RejectedRowSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = RejectedRow
        fields = ["line_number", "values", "reasons"]
        read_only_fields = fields


class RecordOutcomeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    idempotency_key = serializers.CharField()
    outcome = serializers.CharField()
    reasons = serializers.ListField(child=serializers.DictField())
    entity = serializers.UUIDField(allow_null=True)

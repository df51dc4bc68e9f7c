"""The traceability API: the real-time check and batches with an idempotency key."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yaojian.traceability import selectors, services
from yaojian.traceability.choices import BatchStatus
from yaojian.traceability.engine.codes import parse_trace_code
from yaojian.traceability.engine.explain import when
from yaojian.traceability.models import IngestBatch


class CodeStateView(APIView):
    """Has this pack been settled, how many units, where last (for settlement systems)."""

    @extend_schema(
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiResponse(description="Not a trace code (the reason in ``errors.code``)."),
        }
    )
    def get(self, request: Request, code: str) -> Response:
        parsed = parse_trace_code(code)
        if not parsed.key:
            raise ValidationError({"code": [str(parsed.reason)]})
        state = services.store().code_state(parsed.key)
        if state is None:
            return Response(
                {
                    "code": parsed.key,
                    "valid": True,
                    "known": False,
                    "settled": False,
                    "settlements": 0,
                }
            )
        return Response(
            {
                "code": parsed.key,
                "valid": True,
                "known": True,
                "settled": state["settlements"] > 0,
                "settlements": state["settlements"],
                "units_settled": state["units"],
                "pack_units": state["pack_units"],
                "institutions": state["institutions"],
                "last_settled_by": state["last_party"],
                "last_settled_region": state["last_region"],
                "last_settled_at": when(state["last_at"]) if state["last_at"] else None,
                "last_event": state["last_event"],
            }
        )


class BatchSerializer(serializers.Serializer[Any]):
    """A batch of trace events and its ingest job (the status URL answers this)."""

    id = serializers.UUIDField(help_text=_("The batch's id."))
    idempotency_key = serializers.CharField()
    status = serializers.ChoiceField(choices=BatchStatus.choices)
    status_url = serializers.CharField(help_text=_("GET it to follow the ingest."))
    job = serializers.UUIDField(allow_null=True, help_text=_("The ingest job."))
    job_status = serializers.CharField(allow_null=True)
    job_url = serializers.CharField(allow_null=True, help_text=_("The job's page."))
    progress = serializers.DictField(help_text=_("done, total and message of the job."))
    rows = serializers.IntegerField()
    stored = serializers.IntegerField()
    rejected = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    new_flags = serializers.IntegerField()
    refused_files = serializers.ListField(child=serializers.DictField())
    error = serializers.CharField()


class BatchUploadSerializer(serializers.Serializer[Any]):
    files = serializers.ListField(
        child=serializers.FileField(), help_text=_("Parquet or CSV files in the format.")
    )


ERRORS = {
    400: OpenApiResponse(description=_("Invalid input: `errors` holds the messages per field.")),
    403: OpenApiResponse(description=_("Only the insurance bureau or the drug regulator.")),
}


class BatchView(APIView):
    """POST trace-event files (multipart ``files``) with an ``Idempotency-Key`` header.

    The request only saves the files and queues their ingest as a job: it answers 202 with the
    batch, its job and ``status_url``. The same key again answers the same batch (200 once it is
    done, 202 while it is queued or running) and starts nothing; a key whose batch failed starts
    the same batch again.
    """

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description=_("The same key returns the same batch, never a second one."),
            )
        ],
        request={"multipart/form-data": BatchUploadSerializer},
        responses={200: BatchSerializer, 202: BatchSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            raise ValidationError({"idempotency_key": [_("Send an Idempotency-Key header.")]})
        batch = services.start_upload_ingest(
            actor=request.user,
            files=request.FILES.getlist("files"),
            idempotency_key=key,
            source="api",
        )
        busy = batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)
        return Response(_batch(batch), status=202 if busy else 200)


class BatchDetailView(APIView):
    """The status of one batch: its job's progress, then its counts."""

    @extend_schema(responses={200: BatchSerializer, **ERRORS})
    def get(self, request: Request, public_id: uuid.UUID) -> Response:
        batch = selectors.batch_for_uploader(request.user, public_id)
        if batch is None:
            raise NotFound
        return Response(_batch(batch))


def _batch(batch: IngestBatch) -> dict[str, Any]:
    job = batch.job
    return {
        "id": str(batch.public_id),
        "idempotency_key": batch.idempotency_key,
        "status": batch.status,
        "status_url": reverse("trace-batch", kwargs={"public_id": batch.public_id}),
        "job": str(job.public_id) if job else None,
        "job_status": job.status if job else None,
        "job_url": reverse("jobs:job_detail", kwargs={"public_id": job.public_id}) if job else None,
        "progress": {
            "done": job.done if job else 0,
            "total": job.total if job else 0,
            "message": job.message if job else "",
        },
        "rows": batch.rows,
        "stored": batch.accepted,
        "rejected": batch.rejected,
        "duplicates": batch.duplicates,
        "new_flags": batch.new_flags,
        "refused_files": batch.refused_files,
        "error": batch.error,
    }

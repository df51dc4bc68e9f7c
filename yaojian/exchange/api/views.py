"""The exchange API: partner systems upload records (idempotent) or files; batches, rejected
rows and templates can be read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yaojian.accounts.models import Department
from yaojian.exchange import reports, selectors, services
from yaojian.exchange.api.serializers import (
    ImportBatchSerializer,
    ImportUploadSerializer,
    RecordOutcomeSerializer,
    RejectedRowSerializer,
)
from yaojian.exchange.choices import BatchOrigin, source_kind_values

MAX_RECORDS = 1000


def _department(code: str | None) -> Department | None:
    if not code:
        return None
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise DRFValidationError({"department": ["Unknown department code."]})
    return department


class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Import batches of my departments; POST a file (multipart) to start one."""

    serializer_class = ImportBatchSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> Any:
        return selectors.batches_visible_to(self.request.user)

    @extend_schema(request=ImportUploadSerializer, responses={202: ImportBatchSerializer})
    def create(self, request: Request) -> Response:
        form = ImportUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        batch = services.start_import(
            actor=request.user,
            kind=form.validated_data["kind"],
            data=upload.read(),
            file_name=upload.name,
            department=_department(form.validated_data.get("department")),
            origin=BatchOrigin.API,
        )
        batch.refresh_from_db()
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=RejectedRowSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="rejected-rows")
    def rejected_rows(self, request: Request, public_id: str) -> Response:
        batch = selectors.get_batch_for_user(request.user, public_id)
        page = self.paginate_queryset(selectors.rejected_rows(batch))
        data = RejectedRowSerializer(page, many=True).data
        return self.get_paginated_response(data)


class RecordUploadView(APIView):
    """POST /api/v1/exchange/<kind>/records/: a JSON list of records, each with an
    ``idempotency_key``; answers each record's outcome (a replayed key answers its first one)."""

    @extend_schema(
        request={"application/json": {"type": "array", "items": {"type": "object"}}},
        responses=RecordOutcomeSerializer(many=True),
    )
    def post(self, request: Request, kind: str) -> Response:
        if kind not in source_kind_values():
            raise NotFound
        records = request.data
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise DRFValidationError(
                {"non_field_errors": ["Send a JSON list of records (objects)."]}
            )
        if not records or len(records) > MAX_RECORDS:
            raise DRFValidationError(
                {"non_field_errors": [f"Send between 1 and {MAX_RECORDS} records."]}
            )
        department = _department(request.query_params.get("department"))
        try:
            answers = services.submit_records(
                actor=request.user, kind=kind, records=records, department=department
            )
        except ValidationError:
            raise
        return Response(answers, status=status.HTTP_200_OK)


class TemplateView(APIView):
    """GET /api/v1/exchange/templates/<kind>.xlsx: the published template."""

    @extend_schema(
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes
        }
    )
    def get(self, request: Request, kind: str) -> HttpResponse:
        if kind not in source_kind_values():
            raise NotFound
        response = HttpResponse(
            reports.template_xlsx(kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
        return response

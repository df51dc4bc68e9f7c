"""The traceability API: the real-time check and batches with an idempotency key."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yaojian.traceability import services
from yaojian.traceability.engine.codes import parse_trace_code
from yaojian.traceability.engine.explain import when


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


class BatchView(APIView):
    """POST trace-event files (multipart ``files``) with an ``Idempotency-Key`` header."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            raise ValidationError({"idempotency_key": ["Send an Idempotency-Key header."]})
        if not request.user.is_superuser and not any(
            m.department_kind in services.HANDLERS for m in services.scope_for(request.user).members
        ):
            raise PermissionDenied
        folder = Path(settings.VAR_DIR) / "trace-uploads" / uuid.uuid4().hex
        folder.mkdir(parents=True)
        for upload in request.FILES.getlist("files"):
            name = Path(upload.name).name
            if Path(name).suffix.lower() in (".parquet", ".csv"):
                with (folder / name).open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
        batch, created = services.ingest_folder(
            actor=request.user, folder=folder, idempotency_key=key, source="api"
        )
        return Response(_batch(batch), status=201 if created else 200)


def _batch(batch: Any) -> dict[str, Any]:
    return {
        "id": str(batch.public_id),
        "idempotency_key": batch.idempotency_key,
        "status": batch.status,
        "rows": batch.rows,
        "stored": batch.accepted,
        "rejected": batch.rejected,
        "duplicates": batch.duplicates,
        "new_flags": batch.new_flags,
        "refused_files": batch.refused_files,
    }

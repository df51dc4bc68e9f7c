"""The API's error shape: a stable machine code plus a translated message."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain exceptions to DRF ones, then shape every error as
    ``{"code": ..., "message": ..., "errors": {field: [messages]}}``."""
    if isinstance(exc, ObjectDoesNotExist):
        exc = Http404()
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: Any = {
                k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()
            }
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        message = next((str(m[0] if isinstance(m, list) and m else m) for m in errors.values()), "")
        response.data = {"code": "invalid", "message": message, "errors": errors}
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = {"code": code, "message": str(exc.detail), "errors": {}}
    if response.status_code == status.HTTP_404_NOT_FOUND:
        response.data["code"] = "not_found"
    return response

"""The API's error shape: a stable machine code plus a translated message.

Every error response is ``{"code": ..., "message": ..., "errors": {field: [messages]}}``:

* ``code`` is one of :class:`ErrorCode` and never changes with the language;
* ``message`` is a full sentence in the request's language (``Accept-Language``);
* ``errors`` maps each invalid field (dotted for nested input) to its messages, and is
  empty for errors that concern the request as a whole.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD_ERRORS = "non_field_errors"


class ErrorCode(models.TextChoices):
    """The machine-readable ``code`` of every API error."""

    INVALID = "invalid", _("The request contains invalid values.")
    PARSE_ERROR = "parse_error", _("The request body could not be read.")
    NOT_AUTHENTICATED = "not_authenticated", _("Authentication is required.")
    AUTHENTICATION_FAILED = "authentication_failed", _("The credentials were not accepted.")
    PERMISSION_DENIED = "permission_denied", _("You may not do this.")
    NOT_FOUND = "not_found", _("The requested object does not exist or you may not see it.")
    METHOD_NOT_ALLOWED = "method_not_allowed", _("This method is not allowed here.")
    NOT_ACCEPTABLE = "not_acceptable", _("The requested format is not available.")
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", _("The body's media type is not supported.")
    THROTTLED = "throttled", _("Too many requests were made; try again later.")
    CONFLICT = "conflict", _("The change conflicts with data stored in the meantime.")
    ERROR = "error", _("The request failed.")


class Conflict(exceptions.APIException):
    """409: a database constraint refused a change that passed validation (a race)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = ErrorCode.CONFLICT.label
    default_code = ErrorCode.CONFLICT.value


def field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Flatten DRF's nested error detail into ``{"field.sub": [messages]}``."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in field_errors(value, name).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if isinstance(detail, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in detail):
            return {prefix or NON_FIELD_ERRORS: [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            if not item:
                continue
            name = f"{prefix}.{index}" if prefix else str(index)
            for field, messages in field_errors(item, name).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    return {prefix or NON_FIELD_ERRORS: [str(detail)]}


def _from_django_validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail: dict[str, list[str]] = {
            (NON_FIELD_ERRORS if key == "__all__" else key): [
                str(message) for error in errors for message in error.messages
            ]
            for key, errors in exc.error_dict.items()
        }
    else:
        detail = {NON_FIELD_ERRORS: [str(message) for message in exc.messages]}
    return exceptions.ValidationError(detail)


def _code_for(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str) and codes in ErrorCode.values:
        return codes
    by_status = {
        status.HTTP_400_BAD_REQUEST: ErrorCode.INVALID,
        status.HTTP_401_UNAUTHORIZED: ErrorCode.NOT_AUTHENTICATED,
        status.HTTP_403_FORBIDDEN: ErrorCode.PERMISSION_DENIED,
        status.HTTP_404_NOT_FOUND: ErrorCode.NOT_FOUND,
        status.HTTP_405_METHOD_NOT_ALLOWED: ErrorCode.METHOD_NOT_ALLOWED,
        status.HTTP_406_NOT_ACCEPTABLE: ErrorCode.NOT_ACCEPTABLE,
        status.HTTP_409_CONFLICT: ErrorCode.CONFLICT,
        status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        status.HTTP_429_TOO_MANY_REQUESTS: ErrorCode.THROTTLED,
    }
    return by_status.get(exc.status_code, ErrorCode.ERROR).value


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain exceptions to DRF ones, then shape every error as
    ``{"code": ..., "message": ..., "errors": {field: [messages]}}``.

    ``DoesNotExist`` from a ``get_<x>_for_user`` chokepoint and ``Http404`` both become the
    same 404 (``not_found``), so a forbidden object looks exactly like a missing one.
    """
    hidden = isinstance(exc, ObjectDoesNotExist | Http404)
    if hidden:
        exc = exceptions.NotFound(str(ErrorCode.NOT_FOUND.label))
    elif isinstance(exc, DjangoValidationError):
        exc = _from_django_validation_error(exc)
    elif isinstance(exc, PermissionDenied):
        # Services explain their refusals in a translated sentence; keep it.
        exc = exceptions.PermissionDenied(
            str(exc.args[0]) if exc.args else str(ErrorCode.PERMISSION_DENIED.label)
        )
    elif isinstance(exc, IntegrityError):
        exc = Conflict()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        general = errors.get(NON_FIELD_ERRORS)
        message = general[0] if general else str(ErrorCode.INVALID.label)
        response.data = {"code": ErrorCode.INVALID.value, "message": message, "errors": errors}
        return response
    detail = exc.detail
    if isinstance(detail, dict | list):
        message = next(iter(field_errors(detail).values()), [""])[0]
    else:
        message = str(detail)
    response.data = {"code": _code_for(exc), "message": message, "errors": {}}
    return response

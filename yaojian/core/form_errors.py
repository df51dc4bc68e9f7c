"""Form helpers shared by every app's views: one status for "fix the form", one way to show a
service's validation errors beside the fields they concern."""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import ValidationError
from django.forms import BaseForm

#: The status a form re-rendered with errors answers (htmx swaps it like a 2xx).
UNPROCESSABLE = HTTPStatus.UNPROCESSABLE_ENTITY.value


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``.

    Each message goes beside the field it names when the form has that field, otherwise at the
    top of the form (a non-field error).
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)

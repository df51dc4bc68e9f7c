"""The error shape: a stable code, a translated message, errors per field; never a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import translation

from yaojian.api.errors import exception_handler
from yaojian.registry.models import Entity

pytestmark = pytest.mark.django_db

URL = "/api/v1/departments/"


def test_anonymous_gets_401_with_code_and_message_in_the_requested_language(api_client_for):
    client = api_client_for(None)
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.status_code == chinese.status_code == 401
    assert english["WWW-Authenticate"] == "Token"
    assert english.json() == {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
        "errors": {},
    }
    assert chinese.json()["code"] == "not_authenticated"
    assert chinese.json()["message"] == "身份认证信息未提供。"


def test_wrong_token_is_authentication_failed(api_client_for):
    client = api_client_for(None)
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "message": "Invalid token.",
        "errors": {},
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing-here/",
        "/api/v1/departments/not-a-uuid/",
        "/api/v1/departments/00000000-0000-0000-0000-000000000000/",
        "/api/v1/departments/%27%20OR%201=1--/",
    ],
)
def test_unknown_paths_and_ids_are_a_json_404(path, county_a, user_in_department, api_client_for):
    user = user_in_department(department=county_a)
    response = api_client_for(user).get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "The requested object does not exist or you may not see it.",
        "errors": {},
    }


def test_method_not_allowed(county_a, user_in_department, api_client_for):
    user = user_in_department(department=county_a)
    response = api_client_for(user).delete(f"{URL}{county_a.public_id}/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize("page", ["abc", "0", "99", "-1", "1e9"])
def test_bad_page_is_not_found(page, county_a, user_in_department, api_client_for):
    user = user_in_department(department=county_a)
    response = api_client_for(user).get(f"{URL}?page={page}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(("page_size", "served"), [("100000000", 500), ("", 50), ("7", 7)])
def test_page_size_is_capped_or_defaulted(page_size, served, user_in_department, api_client_for):
    user = user_in_department()
    response = api_client_for(user).get(f"/api/v1/regions/?page_size={page_size}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == served


@pytest.mark.parametrize("url", ["/api/v1/regions/", "/api/v1/entities/", "/api/v1/entities/bulk/"])
@pytest.mark.parametrize("page_size", ["-5", "0", "x", "1.5"])
def test_a_page_size_that_is_not_a_whole_number_answers_400(
    url, page_size, user_in_department, api_client_for
):
    user = user_in_department()
    response = api_client_for(user).get(
        f"{url}?page_size={page_size}", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "The request contains invalid values.",
        "errors": {"page_size": ["Enter a whole number of at least 1."]},
    }


def _handle(exc):
    return exception_handler(exc, {})


def test_service_validation_error_becomes_400_with_field_errors():
    error = ValidationError(
        {
            "name": [ValidationError("The name is required.", code="required")],
            "__all__": [ValidationError("The entity is closed.", code="closed")],
        }
    )
    response = _handle(error)
    assert response.status_code == 400
    assert response.data == {
        "code": "invalid",
        "message": "The entity is closed.",
        "errors": {
            "name": ["The name is required."],
            "non_field_errors": ["The entity is closed."],
        },
    }


def test_plain_validation_error_becomes_non_field_error():
    response = _handle(ValidationError(["First.", "Second."]))
    assert response.status_code == 400
    assert response.data["errors"] == {"non_field_errors": ["First.", "Second."]}
    assert response.data["message"] == "First."


def test_nested_serializer_errors_are_flattened_with_dotted_names():
    from rest_framework.exceptions import ValidationError as DRFValidationError

    response = _handle(
        DRFValidationError({"licences": [{}, {"number": ["Required."]}], "name": ["Bad."]})
    )
    assert response.data["errors"] == {"licences.1.number": ["Required."], "name": ["Bad."]}
    assert response.data["message"] == "The request contains invalid values."


def test_does_not_exist_and_permission_denied_and_integrity_error():
    assert _handle(Entity.DoesNotExist()).status_code == 404
    denied = _handle(PermissionDenied())
    assert denied.status_code == 403
    assert denied.data == {
        "code": "permission_denied",
        "message": "You may not do this.",
        "errors": {},
    }
    explained = _handle(PermissionDenied("You may not register entities."))
    assert explained.data["message"] == "You may not register entities."
    conflict = _handle(IntegrityError("unique"))
    assert conflict.status_code == 409
    assert conflict.data["code"] == "conflict"


def test_unexpected_exceptions_are_left_to_django():
    assert _handle(RuntimeError("boom")) is None


@pytest.fixture(autouse=True)
def _english():
    """These tests compare the English source messages."""
    with translation.override("en"):
        yield

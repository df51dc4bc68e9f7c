"""Schemathesis against the published OpenAPI document: every operation, a bounded number of
generated requests each, answered by the real application in-process (real database).

Fails on any 5xx, on a status code the document does not list for the operation, and on a
response body that does not match the documented schema. Deterministic (derandomised), so a
failure reproduces; about a minute on two cores.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.notices.tests.factories import NoticeFactory, ProblemFactory
from yaojian.registry.tests.factories import (
    EntityFactory,
    LicenceFactory,
    PersonFactory,
    ProductFactory,
)
from yaojian.webhooks.tests.factories import DeliveryFactory, EndpointFactory

SCHEMA_PATH = Path(django_settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"
MAX_EXAMPLES = 5


def _inside_the_test_transaction(wsgi: Any) -> Any:
    """The project's WSGI handler, without closing the database connection after each request.

    Django closes "old" connections when a request starts and finishes; inside a test that
    would close the connection holding the test's transaction (PostgreSQL then answers "the
    connection is closed"). Django's own test client switches this off the same way.
    """

    def application(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = wsgi(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return application


schema = schemathesis.openapi.from_path(str(SCHEMA_PATH))
schema.app = _inside_the_test_transaction(get_wsgi_application())
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE])

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def world(db: Any, user_in_department: Any) -> dict[str, Any]:
    """A provincial administrator's token and rows of every kind it may see."""
    user = user_in_department(role=Role.ADMINISTRATOR, region="540000")
    department = user.memberships.get().department
    other = DepartmentFactory(region_id="540102", kind="medical_insurance")
    for _ in range(3):
        entity = EntityFactory(region_id="540102", registered_by=department)
        licence = LicenceFactory(entity=entity, issued_by=department)
        product = ProductFactory()
        person = PersonFactory()
    problem = ProblemFactory(department=department, entity=entity)
    sent = NoticeFactory(sender=department, recipient=other, problem=problem, entity=entity)
    received = NoticeFactory(sender=other, recipient=department)
    endpoint = EndpointFactory(department=department)
    delivery = DeliveryFactory(endpoint=endpoint)
    return {
        "token": Token.objects.create(user=user).key,
        "/api/v1/departments/{public_id}/": department.public_id,
        "/api/v1/regions/{code}/": "540102",
        "/api/v1/entities/{public_id}/": entity.public_id,
        "/api/v1/licences/{public_id}/": licence.public_id,
        "/api/v1/products/{public_id}/": product.public_id,
        "/api/v1/persons/{public_id}/": person.public_id,
        "/api/v1/problems/{public_id}/": problem.public_id,
        "/api/v1/notices/{public_id}/": received.public_id,
        "/api/v1/webhook-endpoints/{public_id}/": endpoint.public_id,
        "/api/v1/webhook-deliveries/{public_id}/": delivery.public_id,
        "sent": sent.public_id,
    }


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_and_never_fails(case: Any, world: dict[str, Any]) -> None:
    case.call_and_validate(headers={"Authorization": f"Token {world['token']}"}, checks=CHECKS)


DETAIL_PATHS = [
    "/api/v1/departments/{public_id}/",
    "/api/v1/regions/{code}/",
    "/api/v1/entities/{public_id}/",
    "/api/v1/licences/{public_id}/",
    "/api/v1/products/{public_id}/",
    "/api/v1/persons/{public_id}/",
    "/api/v1/problems/{public_id}/",
    "/api/v1/notices/{public_id}/",
    "/api/v1/webhook-endpoints/{public_id}/",
    "/api/v1/webhook-deliveries/{public_id}/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", DETAIL_PATHS)
def test_existing_objects_match_their_documented_schema(path: str, world: dict[str, Any]) -> None:
    """Generated ids find nothing (404); these requests fetch rows that exist."""
    operation = schema[path]["GET"]
    name = "code" if "{code}" in path else "public_id"
    case = operation.Case(path_parameters={name: str(world[path])})
    response = case.call_and_validate(
        headers={"Authorization": f"Token {world['token']}"}, checks=CHECKS
    )
    assert response.status_code == 200

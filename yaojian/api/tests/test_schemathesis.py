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
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from yaojian.accounts.choices import Role
from yaojian.registry.tests.factories import (
    EntityFactory,
    LicenceFactory,
    PersonFactory,
    ProductFactory,
)

SCHEMA_PATH = Path(django_settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"
MAX_EXAMPLES = 5

schema = schemathesis.openapi.from_path(str(SCHEMA_PATH))
schema.app = get_wsgi_application()
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE])

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def token(db: Any, user_in_department: Any) -> str:
    """A provincial administrator's token, with registry rows in the province to find."""
    user = user_in_department(role=Role.ADMINISTRATOR, region="540000")
    department = user.memberships.get().department
    for _ in range(3):
        entity = EntityFactory(region_id="540102", registered_by=department)
        LicenceFactory(entity=entity, issued_by=department)
        ProductFactory()
        PersonFactory()
    return Token.objects.create(user=user).key


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_and_never_fails(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

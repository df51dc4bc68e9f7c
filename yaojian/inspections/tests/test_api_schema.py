"""The inspections API's real answers (200 and 201) match the published OpenAPI document.

The project-wide schemathesis run uses an administrator, who gets 403 from these endpoints;
here a department head with a plan, a draw, an inspection and ratings calls every operation
with ids that exist, and schemathesis checks status, content type and body against the schema.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from yaojian.api.tests.test_schemathesis import CHECKS, schema
from yaojian.inspections import services
from yaojian.inspections.tests.test_api import ANSWERS, PLAN_BODY, World, world  # noqa: F401


def call(given: World, method: str, path: str, **case: Any) -> Any:
    token = Token.objects.get_or_create(user=given.county.head)[0].key
    operation = schema[path][method]
    return operation.Case(**case).call_and_validate(
        headers={"Authorization": f"Token {token}"}, checks=CHECKS
    )


@pytest.mark.django_db(transaction=False)
def test_every_inspections_operation_answers_as_documented(world: World) -> None:  # noqa: F811
    services.rate_all(prefix="540102")
    plan, draw, inspection = world.plan, world.draw, world.inspection
    entity = world.county.entities[0]
    reads = [
        ("/api/v1/inspections/plans/", {}),
        ("/api/v1/inspections/plans/{public_id}/", {"public_id": str(plan.public_id)}),
        ("/api/v1/inspections/draws/", {}),
        ("/api/v1/inspections/draws/{public_id}/", {"public_id": str(draw.public_id)}),
        ("/api/v1/inspections/draws/{public_id}/results/", {"public_id": str(draw.public_id)}),
        (
            "/api/v1/inspections/draws/{public_id}/verification/",
            {"public_id": str(draw.public_id)},
        ),
        ("/api/v1/inspections/records/", {}),
        ("/api/v1/inspections/records/{public_id}/", {"public_id": str(inspection.public_id)}),
        ("/api/v1/inspections/ratings/", {}),
        ("/api/v1/inspections/ratings/{entity}/", {"entity": str(entity.public_id)}),
    ]
    for path, parameters in reads:
        response = call(world, "GET", path, path_parameters=parameters)
        assert response.status_code == 200, path
    json = "application/json"
    created = call(world, "POST", "/api/v1/inspections/plans/", body=PLAN_BODY, media_type=json)
    assert created.status_code == 201
    drawn = call(
        world,
        "POST",
        "/api/v1/inspections/plans/{public_id}/draws/",
        path_parameters={"public_id": str(plan.public_id)},
        body={"seed": "schema"},
        media_type=json,
    )
    assert drawn.status_code == 201
    token = Token.objects.get_or_create(user=world.team[0])[0].key
    result: dict[str, Any] = {"answers": ANSWERS, "conclusion": "passed", "signed_by": "店长"}
    recorded = (
        schema["/api/v1/inspections/records/{public_id}/result/"]["POST"]
        .Case(
            path_parameters={"public_id": str(inspection.public_id)},
            body=result,
            media_type=json,
        )
        .call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
    )
    assert recorded.status_code == 200
    photo = b"\x89PNG\r\n\x1a\n" + b"0" * 32
    added = (
        schema["/api/v1/inspections/records/{public_id}/files/"]["POST"]
        .Case(
            path_parameters={"public_id": str(inspection.public_id)},
            body={"file": photo},  # type: ignore[dict-item]
            media_type="multipart/form-data",
        )
        .call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
    )
    assert added.status_code == 201
    sha = added.json()["sha256"]
    listed = call(
        world,
        "GET",
        "/api/v1/inspections/records/{public_id}/files/",
        path_parameters={"public_id": str(inspection.public_id)},
    )
    assert [row["sha256"] for row in listed.json()] == [sha]
    downloaded = call(
        world,
        "GET",
        "/api/v1/inspections/records/{public_id}/files/{sha256}/",
        path_parameters={"public_id": str(inspection.public_id), "sha256": sha},
    )
    assert downloaded.status_code == 200
    assert downloaded.content == photo

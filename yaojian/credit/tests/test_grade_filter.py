"""The credit grade filter credit contributes to the registry's entity search: the list page's
filter bar, ``/api/v1/entities/?grade=`` and the CSV export, with exact counts and scoping."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from yaojian.credit import grades
from yaojian.credit.choices import RecordKind, RecordOrigin
from yaojian.credit.models import CreditGrade, CreditRecord
from yaojian.jobs.models import Job
from yaojian.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(world: Any, frozen: Any) -> dict[str, list[Any]]:
    """In 城关区 (540102): world.entity and one more D, two B, one A and one never graded; in
    堆龙德庆区 (540103, out of the officer's jurisdiction): world.other_entity D."""
    here = [EntityFactory(region_id="540102", registered_by=world.department) for _ in range(4)]
    never = EntityFactory(region_id="540102", registered_by=world.department)

    def fact(entity: Any, kind: str) -> None:
        CreditRecord.objects.create(
            entity=entity,
            region_id=entity.region_id,
            kind=kind,
            origin=RecordOrigin.UI,
            source_department=world.department,
            legal_basis="x",
            occurred_on=dt.date(2026, 3, 1),
            expires_on=dt.date(2029, 3, 1),
        )

    for entity in (world.entity, here[0], world.other_entity):
        fact(entity, RecordKind.SERIOUS_DISHONESTY)
    for entity in here[1:3]:
        fact(entity, RecordKind.PENALTY)
    ids = [world.entity.pk, world.other_entity.pk, *(e.pk for e in here)]
    grades.recompute(entity_ids=ids)
    assert not CreditGrade.objects.filter(entity_id=never.pk).exists()
    return {
        "D": [world.entity, here[0]],
        "B": here[1:3],
        "A": [here[3]],
        "C": [],
    }


@pytest.mark.parametrize(("grade", "count"), [("D", 2), ("B", 2), ("A", 1), ("C", 0), ("", 6)])
def test_entity_list_page_filters_by_grade_in_scope(
    world: Any, client: Any, graded: Any, grade: str, count: int
) -> None:
    client.force_login(world.officer)
    response = client.get(reverse("registry:entity_list"), {"grade": grade})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == count
    names = {row.name for row in response.context["entities"]}
    if grade:
        assert names == {e.name for e in graded[grade]}
    assert 'name="grade"' in response.content.decode()


def test_entities_api_filters_by_grade_with_exact_counts_and_scope(
    world: Any, api_client_for: Any, graded: Any, django_assert_max_num_queries: Any
) -> None:
    api = api_client_for(world.officer)
    with django_assert_max_num_queries(12):
        response = api.get("/api/v1/entities/", {"grade": "D"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {row["public_id"] for row in body["results"]} == {str(e.public_id) for e in graded["D"]}
    # The other county's officer sees only its own D entity.
    other = api_client_for(world.other_officer).get("/api/v1/entities/", {"grade": "D"}).json()
    assert [row["public_id"] for row in other["results"]] == [str(world.other_entity.public_id)]
    # Combined with another filter, and refused when not a grade.
    assert api.get("/api/v1/entities/", {"grade": "B", "q": "no such name"}).json()["count"] == 0
    assert api.get("/api/v1/entities/", {"grade": "E"}).status_code == 400


def test_export_keeps_the_grade_filter(
    world: Any, client: Any, graded: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.steward)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registry:entity_export"), {"grade": "B", "encoding": "utf-8-sig"}
        )
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.parameters["grade"] == "B"
    assert job.result["rows"] == 2


def test_grade_is_in_the_openapi_schema() -> None:
    from pathlib import Path

    from django.conf import settings

    schema = (Path(settings.BASE_DIR) / "docs/api/openapi.yaml").read_text(encoding="utf-8")
    entities = schema.split("  /api/v1/entities/:")[1].split("\n  /api/v1/")[0]
    assert "name: grade" in entities

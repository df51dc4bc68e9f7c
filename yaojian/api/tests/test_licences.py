"""/api/v1/licences/: list, retrieve, filters, recording and status transitions."""

from __future__ import annotations

import pytest

from yaojian.accounts.choices import Role
from yaojian.api.tests.conftest import registry_events
from yaojian.registry.choices import LicenceKind, LicenceStatus
from yaojian.registry.identifiers import make_drug_distribution_licence_number
from yaojian.registry.models import Licence, LicenceStatusChange
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/licences/"


@pytest.fixture
def entity_a(county_a):
    return EntityFactory(name="城关区甲药房", registered_by=county_a, region_id="540102")


@pytest.fixture
def licence_a(entity_a, county_a):
    return LicenceFactory(entity=entity_a, issued_by=county_a)


@pytest.fixture
def licence_b(county_b):
    entity = EntityFactory(name="桑珠孜区乙药房", registered_by=county_b, region_id="540202")
    return LicenceFactory(entity=entity, issued_by=county_b, status=LicenceStatus.SUSPENDED)


@pytest.fixture
def steward_a(county_a, user_in_department):
    return user_in_department(department=county_a, role=Role.DATA_STEWARD)


def test_detail_has_exact_fields(licence_a, entity_a, county_a, steward_a, api_client_for):
    response = api_client_for(steward_a).get(f"{URL}{licence_a.public_id}/")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "public_id": str(licence_a.public_id),
        "entity": {"public_id": str(entity_a.public_id), "name": "城关区甲药房"},
        "kind": "drug_distribution",
        "number": licence_a.number,
        "issued_by": {
            "public_id": str(county_a.public_id),
            "code": "MPA-540102",
            "name": "城关区药监",
        },
        "scope_of_business": "化学药制剂、中成药",
        "valid_from": "2024-01-01",
        "valid_until": "2029-12-31",
        "status": "valid",
        "allowed_transitions": ["suspended", "revoked", "expired", "cancelled"],
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert body["created_at"].endswith("+08:00")


def test_licences_are_scoped(licence_a, licence_b, steward_a, api_client_for, user_in_department):
    client = api_client_for(steward_a)
    listed = [row["public_id"] for row in client.get(URL).json()["results"]]
    assert listed == [str(licence_a.public_id)]
    assert client.get(f"{URL}{licence_b.public_id}/").status_code == 404
    province = api_client_for(user_in_department(region="540000"))
    assert province.get(URL).json()["count"] == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=suspended", ["b"]),
        ("status=valid", ["a"]),
        ("kind=drug_distribution", ["a", "b"]),
        ("kind=medical_practice", []),
        ("entity={entity_b}", ["b"]),
        ("number={number_a}", ["a"]),
        ("number={number_a_lower}", ["a"]),
        ("number=%27%20OR%201%3D1", []),
    ],
)
def test_filters(query, expected, licence_a, licence_b, user_in_department, api_client_for):
    client = api_client_for(user_in_department(region="540000"))
    query = query.format(
        entity_b=licence_b.entity.public_id,
        number_a=licence_a.number,
        number_a_lower=" " + licence_a.number.lower() + " ",
    )
    ids = {"a": str(licence_a.public_id), "b": str(licence_b.public_id)}
    response = client.get(URL, dict([query.split("=", 1)]))
    assert response.status_code == 200
    assert sorted(row["public_id"] for row in response.json()["results"]) == sorted(
        ids[key] for key in expected
    )


@pytest.mark.parametrize(("query", "field"), [("entity=nope", "entity"), ("status=x", "status")])
def test_bad_filters(query, field, steward_a, api_client_for):
    response = api_client_for(steward_a).get(f"{URL}?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_list_query_count_does_not_grow(
    licence_a, county_a, steward_a, count_queries, api_client_for, django_assert_max_num_queries
):
    few = count_queries(steward_a, URL)
    for _ in range(5):
        LicenceFactory(entity=EntityFactory(registered_by=county_a), issued_by=county_a)
    assert count_queries(steward_a, URL) == few
    client = api_client_for(steward_a)
    with django_assert_max_num_queries(5):
        client.get(URL)


# --- recording ------------------------------------------------------------------------------


def _payload(entity, **overrides):
    payload = {
        "entity": str(entity.public_id),
        "kind": LicenceKind.DRUG_DISTRIBUTION,
        "number": make_drug_distribution_licence_number("54", "DA", "8910", 4242),
        "valid_from": "2025-01-01",
        "valid_until": "2030-12-31",
        "scope_of_business": "中成药",
    }
    payload.update(overrides)
    return payload


def test_data_steward_records_a_licence(entity_a, steward_a, api_client_for):
    response = api_client_for(steward_a).post(URL, _payload(entity_a), format="json")
    assert response.status_code == 201, response.content
    licence = Licence.objects.get()
    assert response.json()["public_id"] == str(licence.public_id)
    assert (licence.entity_id, licence.status, licence.issued_by.code) == (
        entity_a.pk,
        "valid",
        "MPA-540102",
    )
    assert registry_events() == ["registry.licence_added"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("steward_other_county", 404), ("inspector_same_department", 403)],
)
def test_who_may_not_record_writes_nothing(
    who, status, entity_a, county_a, county_b, user_in_department, api_client_for
):
    users = {
        "anonymous": None,
        "steward_other_county": user_in_department(department=county_b, role=Role.DATA_STEWARD),
        "inspector_same_department": user_in_department(department=county_a),
    }
    response = api_client_for(users[who]).post(URL, _payload(entity_a), format="json")
    assert response.status_code == status
    assert Licence.objects.count() == 0
    assert registry_events() == []


def test_invalid_licence_is_a_field_error(entity_a, licence_a, steward_a, api_client_for):
    response = api_client_for(steward_a).post(
        URL,
        _payload(entity_a, number=licence_a.number, valid_until="2020-01-01"),
        format="json",
    )
    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["number", "valid_until"]
    assert Licence.objects.count() == 1
    assert registry_events() == []


# --- transitions ----------------------------------------------------------------------------


def test_issuing_department_suspends_a_licence(licence_a, steward_a, api_client_for):
    response = api_client_for(steward_a).post(
        f"{URL}{licence_a.public_id}/transition/",
        {"to_status": "suspended", "reason": "GSP 检查不合格"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "suspended"
    assert response.json()["allowed_transitions"] == ["valid", "revoked", "expired", "cancelled"]
    change = LicenceStatusChange.objects.get(licence=licence_a)
    assert (change.from_status, change.to_status, change.reason) == (
        "valid",
        "suspended",
        "GSP 检查不合格",
    )
    assert registry_events() == ["registry.licence_status_changed"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("steward_other_county", 404),
        ("inspector_same_department", 403),
        ("steward_other_department_same_county", 403),
    ],
)
def test_who_may_not_transition_changes_nothing(
    who, status, licence_a, county_a, county_b, health_a, user_in_department, api_client_for
):
    users = {
        "anonymous": None,
        "steward_other_county": user_in_department(department=county_b, role=Role.DATA_STEWARD),
        "inspector_same_department": user_in_department(department=county_a),
        "steward_other_department_same_county": user_in_department(
            department=health_a, role=Role.DATA_STEWARD
        ),
    }
    response = api_client_for(users[who]).post(
        f"{URL}{licence_a.public_id}/transition/",
        {"to_status": "revoked", "reason": "x"},
        format="json",
    )
    assert response.status_code == status
    licence_a.refresh_from_db()
    assert licence_a.status == "valid"
    assert LicenceStatusChange.objects.count() == 0
    assert registry_events() == []


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"to_status": "valid", "reason": "again"}, ["to_status"]),
        ({"to_status": "revoked", "reason": ""}, ["reason"]),
        ({"to_status": "bogus", "reason": "x"}, ["to_status"]),
        ({}, ["reason", "to_status"]),
    ],
)
def test_bad_transitions_are_field_errors(payload, fields, licence_a, steward_a, api_client_for):
    response = api_client_for(steward_a).post(
        f"{URL}{licence_a.public_id}/transition/", payload, format="json"
    )
    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == fields
    licence_a.refresh_from_db()
    assert licence_a.status == "valid"
    assert registry_events() == []

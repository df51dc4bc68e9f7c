"""GET /api/v1/departments/: the department directory."""

from __future__ import annotations

import uuid

import pytest

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel
from yaojian.accounts.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/departments/"


def test_list_shows_every_department_with_exact_fields(
    county_a, county_b, user_in_department, api_client_for
):
    # given
    province = DepartmentFactory(
        code="MPA-540000", name="西藏药监局", region_id="540000", level=DepartmentLevel.PROVINCE
    )
    county_a.parent = province
    county_a.save(update_fields=["parent"])
    user = user_in_department(department=county_a)
    # when
    response = api_client_for(user).get(URL)
    # then
    assert response.status_code == 200
    assert response.data["count"] == 3
    assert [d["code"] for d in response.data["results"]] == [
        "MPA-540000",
        "MPA-540102",
        "MPA-540202",
    ]
    assert response.json()["results"][1] == {
        "public_id": str(county_a.public_id),
        "code": "MPA-540102",
        "name": "城关区药监",
        "kind": "drug_regulator",
        "level": "county",
        "region": "540102",
        "region_name": "城关区",
        "parent": str(province.public_id),
        "is_active": True,
    }


def test_retrieve_by_public_id(county_a, user_in_department, api_client_for):
    user = user_in_department(department=county_a)
    response = api_client_for(user).get(f"{URL}{county_a.public_id}/")
    assert response.status_code == 200
    assert response.data["code"] == "MPA-540102"
    assert response.data["parent"] is None


def test_retrieve_unknown_public_id_is_not_found(county_a, user_in_department, api_client_for):
    user = user_in_department(department=county_a)
    response = api_client_for(user).get(f"{URL}{uuid.uuid4()}/")
    assert response.status_code == 404
    assert response.data["code"] == "not_found"


def test_user_without_membership_sees_no_department(county_a, api_client_for):
    from yaojian.accounts.tests.factories import UserFactory

    response = api_client_for(UserFactory()).get(URL)
    assert response.status_code == 200
    assert response.data["count"] == 0


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("kind=health_commission", ["HC-540102"]),
        ("level=county", ["HC-540102", "MPA-540102", "MPA-540202"]),
        ("level=province", ["MPA-540000"]),
        ("region=540100", ["HC-540102", "MPA-540102"]),
        ("region=540000", ["HC-540102", "MPA-540000", "MPA-540102", "MPA-540202"]),
        ("region=540202", ["MPA-540202"]),
        ("kind=drug_regulator&region=540102", ["MPA-540102"]),
    ],
)
def test_filters(query, codes, county_a, county_b, health_a, user_in_department, api_client_for):
    DepartmentFactory(
        code="MPA-540000",
        region_id="540000",
        level=DepartmentLevel.PROVINCE,
        kind=DepartmentKind.DRUG_REGULATOR,
    )
    user = user_in_department(department=county_a)
    response = api_client_for(user).get(f"{URL}?{query}")
    assert response.status_code == 200
    assert sorted(d["code"] for d in response.data["results"]) == codes


@pytest.mark.parametrize(
    ("query", "field"),
    [("kind=bogus", "kind"), ("level=planet", "level"), ("region=54'--", "region")],
)
def test_bad_filter_is_a_field_error(query, field, county_a, user_in_department, api_client_for):
    user = user_in_department(department=county_a)
    response = api_client_for(user).get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert list(response.data["errors"]) == [field]


def test_query_count_does_not_grow_with_rows(
    county_a, user_in_department, count_queries, django_assert_max_num_queries, api_client_for
):
    user = user_in_department(department=county_a)
    few = count_queries(user, URL)
    DepartmentFactory.create_batch(8, parent=county_a)
    many = count_queries(user, URL)
    assert many == few
    client = api_client_for(user)
    with django_assert_max_num_queries(5):
        client.get(URL)

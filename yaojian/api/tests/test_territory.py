"""GET /api/v1/regions/ and /api/v1/grid-cells/."""

from __future__ import annotations

import pytest

from yaojian.territory.models import GridCell

pytestmark = pytest.mark.django_db

REGIONS = "/api/v1/regions/"
CELLS = "/api/v1/grid-cells/"


@pytest.fixture
def member(county_a, user_in_department):
    return user_in_department(department=county_a)


def test_region_detail_by_code_has_exact_fields(member, api_client_for):
    response = api_client_for(member).get(f"{REGIONS}540102/")
    assert response.status_code == 200
    assert response.json() == {
        "code": "540102",
        "name": "城关区",
        "kind": "市辖区",
        "level": "county",
        "parent": "540100",
        "valid_from": None,
        "valid_to": None,
        "successor": None,
        "is_current": True,
    }


def test_abolished_region_still_resolves_by_code(member, api_client_for):
    response = api_client_for(member).get(f"{REGIONS}542100/")
    assert response.status_code == 200
    assert response.json()["valid_to"] == "2014-10-09"
    assert response.json()["successor"] == "540300"
    assert response.json()["is_current"] is False


@pytest.mark.parametrize("code", ["999999", "54010", "abcdef", "5401021"])
def test_unknown_or_malformed_region_code_is_not_found(code, member, api_client_for):
    response = api_client_for(member).get(f"{REGIONS}{code}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_children_of_a_prefecture(member, api_client_for):
    response = api_client_for(member).get(f"{REGIONS}?parent=540100&page_size=100")
    assert response.status_code == 200
    codes = [r["code"] for r in response.json()["results"]]
    assert codes == [
        "540102",
        "540103",
        "540104",
        "540121",
        "540122",
        "540123",
        "540124",
        "540127",
    ]


def test_abolished_codes_are_listed_only_when_asked(member, api_client_for):
    client = api_client_for(member)
    default = client.get(f"{REGIONS}?parent=540000&level=prefecture&page_size=100").json()
    both = client.get(
        f"{REGIONS}?parent=540000&level=prefecture&include_abolished=true&page_size=100"
    ).json()
    assert [r["code"] for r in default["results"]] == [
        "540100",
        "540200",
        "540300",
        "540400",
        "540500",
        "540600",
        "542500",
    ]
    assert [r["code"] for r in both["results"]] == [
        "540100",
        "540200",
        "540300",
        "540400",
        "540500",
        "540600",
        "542100",
        "542200",
        "542300",
        "542400",
        "542500",
        "542600",
    ]


def test_name_fragment_filter(member, api_client_for):
    response = api_client_for(member).get(f"{REGIONS}?q=日喀则")
    assert [r["code"] for r in response.json()["results"]] == ["540200"]


def test_like_wildcards_in_name_filter_match_literally(member, api_client_for):
    response = api_client_for(member).get(f"{REGIONS}?q=%25_%25")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_bad_region_filter_is_a_field_error(member, api_client_for):
    response = api_client_for(member).get(f"{REGIONS}?level=galaxy&parent=12")
    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["level", "parent"]


def test_region_list_query_count_is_flat(member, count_queries):
    few = count_queries(member, f"{REGIONS}?parent=540100&page_size=1")
    many = count_queries(member, f"{REGIONS}?page_size=500")
    assert many == few == 3


@pytest.fixture
def cells(county_a, regions):
    mine = GridCell.objects.create(code="540102-001", name="八廓街网格", region_id="540102")
    near = GridCell.objects.create(code="540121-001", name="林周县城网格", region_id="540121")
    other = GridCell.objects.create(code="540202-001", name="桑珠孜网格", region_id="540202")
    return mine, near, other


def test_grid_cells_are_scoped_to_the_jurisdiction(
    cells, member, api_client_for, user_in_department
):
    mine = cells[0]
    mine.officers.add(member)
    # a county member sees the cells of the county
    response = api_client_for(member).get(CELLS)
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "public_id": str(mine.public_id),
            "code": "540102-001",
            "name": "八廓街网格",
            "region": "540102",
            "region_name": "城关区",
            "officers": [{"public_id": str(member.public_id), "full_name": member.full_name}],
            "description": "",
        }
    ]
    # a prefecture member sees every county below it
    prefecture = user_in_department(region="540100")
    codes = [c["code"] for c in api_client_for(prefecture).get(CELLS).json()["results"]]
    assert codes == ["540102-001", "540121-001"]


def test_grid_cell_of_another_county_is_not_found(cells, member, api_client_for):
    other = cells[2]
    response = api_client_for(member).get(f"{CELLS}{other.public_id}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_grid_cell_region_filter(cells, api_client_for, user_in_department):
    province = user_in_department(region="540000")
    client = api_client_for(province)
    assert [c["code"] for c in client.get(f"{CELLS}?region=540200").json()["results"]] == [
        "540202-001"
    ]
    assert [c["code"] for c in client.get(f"{CELLS}?q=林周").json()["results"]] == ["540121-001"]


def test_grid_cell_list_query_count_is_flat(
    cells, member, count_queries, user_in_department, api_client_for, django_assert_max_num_queries
):
    few = count_queries(member, CELLS)
    for n in range(6):
        cell = GridCell.objects.create(code=f"540102-1{n}", name=f"网格{n}", region_id="540102")
        cell.officers.add(member, user_in_department(department=None))
    many = count_queries(member, CELLS)
    assert many == few
    client = api_client_for(member)
    with django_assert_max_num_queries(6):
        client.get(CELLS)

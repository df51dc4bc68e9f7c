"""/api/v1/entities/: list, retrieve, filters, scoping, registering and changing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from yaojian.accounts.choices import Role
from yaojian.api.tests.conftest import registry_events
from yaojian.registry.choices import EntityKind, EntityStatus, LicenceStatus
from yaojian.registry.models import Entity
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory, uscc_for
from yaojian.territory.models import GridCell

pytestmark = pytest.mark.django_db

URL = "/api/v1/entities/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def entity_a(county_a):
    return EntityFactory(
        name="拉萨奇正大药房",
        unified_social_credit_code=uscc_for(1),
        registered_by=county_a,
        region_id="540102",
    )


@pytest.fixture
def entity_b(county_b):
    return EntityFactory(
        name="日喀则雪域药店",
        unified_social_credit_code=uscc_for(2, "540202"),
        registered_by=county_b,
        region_id="540202",
    )


@pytest.fixture
def member_a(county_a, user_in_department):
    return user_in_department(department=county_a)


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["public_id"] for row in response.json()["results"]]


def test_list_has_exact_fields_and_datetimes_in_china_time(entity_a, member_a, api_client_for):
    # given
    licence = LicenceFactory(entity=entity_a, issued_by=entity_a.registered_by)
    # when
    response = api_client_for(member_a).get(URL)
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["next"] is None
    row = body["results"][0]
    assert row == {
        "public_id": str(entity_a.public_id),
        "name": "拉萨奇正大药房",
        "unified_social_credit_code": uscc_for(1),
        "kind": "single_pharmacy",
        "status": "active",
        "region": "540102",
        "region_name": "城关区",
        "address": entity_a.address,
        "grid_cell": None,
        "legal_representative": "扎西",
        "parent": None,
        "registered_by": {
            "public_id": str(entity_a.registered_by.public_id),
            "code": "MPA-540102",
            "name": "城关区药监",
        },
        "licences": [
            {
                "public_id": str(licence.public_id),
                "kind": "drug_distribution",
                "number": licence.number,
                "status": "valid",
                "valid_until": "2029-12-31",
            }
        ],
        "created_at": entity_a.created_at.astimezone(SHANGHAI).isoformat(),
        "updated_at": entity_a.updated_at.astimezone(SHANGHAI).isoformat(),
    }
    assert row["created_at"].endswith("+08:00")
    assert dt.datetime.fromisoformat(row["created_at"]) == entity_a.created_at


def test_county_sees_only_its_own_entities(entity_a, entity_b, member_a, api_client_for):
    assert _ids(api_client_for(member_a).get(URL)) == [str(entity_a.public_id)]


def test_entity_of_another_county_is_not_found(entity_a, entity_b, member_a, api_client_for):
    client = api_client_for(member_a)
    assert client.get(f"{URL}{entity_a.public_id}/").status_code == 200
    response = client.get(f"{URL}{entity_b.public_id}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_prefecture_and_province_see_below(entity_a, entity_b, user_in_department, api_client_for):
    prefecture = user_in_department(region="540100")
    province = user_in_department(region="540000")
    assert _ids(api_client_for(prefecture).get(URL)) == [str(entity_a.public_id)]
    assert sorted(_ids(api_client_for(province).get(URL))) == sorted(
        [str(entity_a.public_id), str(entity_b.public_id)]
    )


@pytest.fixture
def province_client(entity_a, entity_b, user_in_department, api_client_for):
    return api_client_for(user_in_department(region="540000"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=奇正", ["a"]),
        ("q=奇 正", ["a"]),
        ("q=ＱＩＺＨＥＮＧ", []),
        ("q=药", ["a", "b"]),
        (f"q={uscc_for(2, '540202')}", ["b"]),
        (f"q={uscc_for(2, '540202').lower()}", ["b"]),
        ("region=540100", ["a"]),
        ("region=540200", ["b"]),
        ("kind=single_pharmacy&region=540202", ["b"]),
        ("kind=wholesaler", []),
        ("status=closed", ["b"]),
        ("licence_status=suspended", ["a"]),
        ("licence_status=valid", []),
    ],
)
def test_filters(query, expected, entity_a, entity_b, province_client):
    Entity.objects.filter(pk=entity_b.pk).update(status=EntityStatus.CLOSED)
    LicenceFactory(entity=entity_a, status=LicenceStatus.SUSPENDED)
    names = {"a": str(entity_a.public_id), "b": str(entity_b.public_id)}
    assert sorted(_ids(province_client.get(f"{URL}?{query}"))) == sorted(
        names[key] for key in expected
    )


def test_q_finds_an_entity_by_exact_licence_number(entity_a, entity_b, province_client):
    licence = LicenceFactory(entity=entity_b)
    assert _ids(province_client.get(f"{URL}?q={licence.number}")) == [str(entity_b.public_id)]


def test_updated_after_filter(entity_a, entity_b, province_client):
    Entity.objects.filter(pk=entity_a.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    since = "2021-01-01T00:00:00+08:00"
    assert _ids(province_client.get(URL, {"updated_after": since})) == [str(entity_b.public_id)]


@pytest.mark.parametrize(
    "query",
    [
        "q=%27%3B%20DROP%20TABLE%20registry_entity%3B--",
        "q=%25%25%25",
        "q=_",
        "q=%00",
        "q=" + "药" * 300,
        "page_size=99999999999999999999",
        "region=540102%27",
        "unknown=1",
    ],
)
def test_hostile_input_never_fails(query, province_client):
    response = province_client.get(f"{URL}?{query}")
    assert response.status_code in {200, 400}
    if response.status_code == 400:
        assert response.json()["code"] == "invalid"
    assert Entity.objects.count() == 2


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=castle", "kind"),
        ("status=x", "status"),
        ("licence_status=x", "licence_status"),
        ("region=5401", "region"),
        ("region=540000", "region"),  # the region filter offers prefectures and counties
        ("region=630000", "region"),  # … in the caller's jurisdictions only
        ("updated_after=yesterday", "updated_after"),
        ("q=" + "x" * 101, "q"),
    ],
)
def test_bad_filters_are_field_errors(query, field, province_client):
    response = province_client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == [field]


def test_list_query_count_does_not_grow(
    county_a, member_a, count_queries, api_client_for, django_assert_max_num_queries
):
    LicenceFactory(entity=EntityFactory(registered_by=county_a), issued_by=county_a)
    few = count_queries(member_a, URL)
    count_queries(member_a, f"{URL}?q=药房&licence_status=valid")  # caches the search window's end
    few_searched = count_queries(member_a, f"{URL}?q=药房&licence_status=valid")
    for _ in range(6):
        entity = EntityFactory(registered_by=county_a)
        LicenceFactory.create_batch(2, entity=entity, issued_by=county_a)
    assert count_queries(member_a, URL) == few
    assert count_queries(member_a, f"{URL}?q=药房&licence_status=valid") == few_searched
    client = api_client_for(member_a)
    with django_assert_max_num_queries(6):
        assert client.get(URL).status_code == 200


# --- registering ------------------------------------------------------------------------


def _payload(**overrides):
    payload = {
        "name": "城关区新开药房",
        "kind": EntityKind.SINGLE_PHARMACY,
        "region": "540102",
        "unified_social_credit_code": uscc_for(77),
        "address": "城关区江苏路8号",
        "legal_representative": "次仁",
    }
    payload.update(overrides)
    return payload


def test_data_steward_registers_an_entity(county_a, user_in_department, api_client_for):
    # given
    steward = user_in_department(department=county_a, role=Role.DATA_STEWARD)
    cell = GridCell.objects.create(code="540102-009", name="江苏路网格", region_id="540102")
    # when
    response = api_client_for(steward).post(
        URL, _payload(grid_cell=str(cell.public_id)), format="json"
    )
    # then
    assert response.status_code == 201, response.content
    entity = Entity.objects.get()
    body = response.json()
    assert body["public_id"] == str(entity.public_id)
    assert (body["name"], body["region"], body["grid_cell"], body["status"]) == (
        "城关区新开药房",
        "540102",
        str(cell.public_id),
        "active",
    )
    assert body["registered_by"]["code"] == "MPA-540102"
    assert body["licences"] == []
    assert registry_events() == ["registry.entity_created"]


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("inspector_same_department", 403, "permission_denied"),
        ("leader_same_department", 403, "permission_denied"),
        ("steward_other_county", 400, "invalid"),
    ],
)
def test_who_may_not_register_writes_nothing(
    who, status, code, county_a, county_b, user_in_department, api_client_for
):
    users = {
        "anonymous": None,
        "inspector_same_department": user_in_department(department=county_a),
        "leader_same_department": user_in_department(department=county_a, role=Role.LEADER),
        "steward_other_county": user_in_department(department=county_b, role=Role.DATA_STEWARD),
    }
    response = api_client_for(users[who]).post(URL, _payload(), format="json")
    assert response.status_code == status
    assert response.json()["code"] == code
    if who == "steward_other_county":
        assert list(response.json()["errors"]) == ["region"]
    assert Entity.objects.count() == 0
    assert registry_events() == []


def test_service_validation_errors_come_per_api_field(county_a, user_in_department, api_client_for):
    steward = user_in_department(department=county_a, role=Role.DATA_STEWARD)
    EntityFactory(unified_social_credit_code=uscc_for(77), registered_by=county_a)
    response = api_client_for(steward).post(
        URL,
        _payload(region="542100", name="\u202e", unified_social_credit_code=uscc_for(77)),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert sorted(body["errors"]) == ["name", "region", "unified_social_credit_code"]
    assert "abolished" in body["errors"]["region"][0]
    assert body["message"] == "The request contains invalid values."
    assert Entity.objects.count() == 1
    assert registry_events() == []


def test_references_must_be_visible(county_a, county_b, user_in_department, api_client_for):
    steward = user_in_department(department=county_a, role=Role.DATA_STEWARD)
    far_cell = GridCell.objects.create(code="540202-001", name="远网格", region_id="540202")
    far_entity = EntityFactory(region_id="540202", registered_by=county_b)
    response = api_client_for(steward).post(
        URL,
        _payload(grid_cell=str(far_cell.public_id), parent=str(far_entity.public_id)),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "grid_cell": ["The object does not exist or you may not see it."],
        "parent": ["The object does not exist or you may not see it."],
    }
    assert Entity.objects.filter(region_id="540102").count() == 0


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ('{"name": ["a"], "kind": 5, "region": null}', "application/json"),
        ("name=x", "text/plain"),
        (
            '{"grid_cell": "not-a-uuid", "name": "x", "kind": "clinic", "region": "540102"}',
            "application/json",
        ),
    ],
)
def test_malformed_bodies_are_4xx(body, content_type, county_a, user_in_department, api_client_for):
    steward = user_in_department(department=county_a, role=Role.DATA_STEWARD)
    response = api_client_for(steward).generic("POST", URL, body, content_type=content_type)
    assert response.status_code in {400, 415}
    assert response.json()["code"] in {"invalid", "parse_error", "unsupported_media_type"}
    assert Entity.objects.count() == 0


# --- changing ---------------------------------------------------------------------------


def test_data_steward_changes_an_entity_with_a_reason(
    entity_a, county_a, user_in_department, api_client_for
):
    steward = user_in_department(department=county_a, role=Role.DATA_STEWARD)
    response = api_client_for(steward).patch(
        f"{URL}{entity_a.public_id}/",
        {"status": "suspended", "address": "城关区林廓北路1号", "reason": "停业整顿"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["address"]) == (
        "suspended",
        "城关区林廓北路1号",
    )
    entity_a.refresh_from_db()
    assert entity_a.status == "suspended"
    assert registry_events() == ["registry.entity_updated"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("steward_other_county", 404),
        ("inspector_same_department", 403),
    ],
)
def test_who_may_not_change_writes_nothing(
    who, status, entity_a, county_a, county_b, user_in_department, api_client_for
):
    users = {
        "anonymous": None,
        "steward_other_county": user_in_department(department=county_b, role=Role.DATA_STEWARD),
        "inspector_same_department": user_in_department(department=county_a),
    }
    before = (entity_a.name, entity_a.updated_at)
    response = api_client_for(users[who]).patch(
        f"{URL}{entity_a.public_id}/", {"name": "改名药房"}, format="json"
    )
    assert response.status_code == status
    entity_a.refresh_from_db()
    assert (entity_a.name, entity_a.updated_at) == before
    assert registry_events() == []


def test_put_and_delete_are_not_allowed(entity_a, county_a, user_in_department, api_client_for):
    steward = user_in_department(department=county_a, role=Role.DATA_STEWARD)
    client = api_client_for(steward)
    assert client.put(f"{URL}{entity_a.public_id}/", _payload(), format="json").status_code == 405
    assert client.delete(f"{URL}{entity_a.public_id}/").status_code == 405
    assert Entity.objects.count() == 1

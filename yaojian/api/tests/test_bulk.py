"""/api/v1/entities/bulk/: the cursor-paginated walk for partner systems."""

from __future__ import annotations

import base64
import urllib.parse

import pytest

from yaojian.registry.models import Entity
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/entities/bulk/"


@pytest.fixture
def member(county_a, user_in_department):
    return user_in_department(department=county_a)


def _walk(client, url):
    seen, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        seen += [row["public_id"] for row in body["results"]]
        pages += 1
        url = body["next"]
    return seen, pages


def test_walk_returns_every_visible_entity_once_in_creation_order(
    county_a, county_b, member, api_client_for
):
    # given
    mine = [EntityFactory(registered_by=county_a) for _ in range(7)]
    EntityFactory(registered_by=county_b, region_id="540202")
    # when
    seen, pages = _walk(api_client_for(member), f"{URL}?page_size=3")
    # then
    assert seen == [str(entity.public_id) for entity in mine]
    assert pages == 3


def test_rows_added_during_a_walk_come_last(county_a, member, api_client_for):
    first = [EntityFactory(registered_by=county_a) for _ in range(4)]
    client = api_client_for(member)
    page = client.get(f"{URL}?page_size=2").json()
    added = EntityFactory(registered_by=county_a)
    rest, _ = _walk(client, page["next"])
    assert [row["public_id"] for row in page["results"]] + rest == [
        str(entity.public_id) for entity in [*first, added]
    ]


def test_cursor_carries_no_primary_key(county_a, member, api_client_for):
    entities = [EntityFactory(registered_by=county_a) for _ in range(2)]
    body = api_client_for(member).get(f"{URL}?page_size=1").json()
    cursor = urllib.parse.parse_qs(urllib.parse.urlparse(body["next"]).query)["cursor"][0]
    decoded = base64.b64decode(cursor + "==").decode()
    assert f"p={entities[0].pk}" not in decoded
    assert "p=" + entities[0].created_at.strftime("%Y-%m-%d") in decoded


def test_filters_apply_to_the_walk(county_a, member, api_client_for):
    EntityFactory(registered_by=county_a, name="城关区甲药房")
    wanted = EntityFactory(registered_by=county_a, name="城关区乙诊所", kind="clinic")
    seen, _ = _walk(api_client_for(member), f"{URL}?kind=clinic")
    assert seen == [str(wanted.public_id)]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        base64.b64encode(b"p=2026").decode(),  # a forged position that is no time
        base64.b64encode(b"o=-5").decode(),
        "%FF%FE",
    ],
)
def test_bad_cursor_is_not_found(cursor, county_a, member, api_client_for):
    EntityFactory(registered_by=county_a)
    response = api_client_for(member).get(f"{URL}?cursor={cursor}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Invalid cursor", "errors": {}}


def test_page_size_is_capped_at_2000(county_a, member, api_client_for):
    EntityFactory.create_batch(3, registered_by=county_a)
    response = api_client_for(member).get(f"{URL}?page_size=1000000")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


def test_bulk_is_read_only(county_a, member, api_client_for):
    response = api_client_for(member).post(URL, {"name": "x"}, format="json")
    assert response.status_code == 405
    assert Entity.objects.count() == 0


def test_anonymous_is_refused(api_client_for):
    assert api_client_for(None).get(URL).status_code == 401


def test_query_count_does_not_grow(
    county_a, member, count_queries, api_client_for, django_assert_max_num_queries
):
    LicenceFactory(entity=EntityFactory(registered_by=county_a), issued_by=county_a)
    few = count_queries(member, URL)
    for _ in range(8):
        LicenceFactory(entity=EntityFactory(registered_by=county_a), issued_by=county_a)
    assert count_queries(member, URL) == few
    client = api_client_for(member)
    with django_assert_max_num_queries(5):
        client.get(URL)

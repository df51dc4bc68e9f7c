"""/api/v1/persons/: personal data masked; the audited ``reveal`` for those entitled."""

from __future__ import annotations

import pytest

from yaojian.accounts.choices import Role, ShareKind
from yaojian.accounts.tests.factories import ShareGrantFactory
from yaojian.api.tests.conftest import registry_events
from yaojian.audit.models import AuditEvent
from yaojian.registry.tests.factories import EntityFactory, EntityPersonFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/persons/"


@pytest.fixture
def person(county_a):
    return PersonFactory(
        name="卓玛",
        id_number="54010219800101002X",
        phone="13908900001",
        certificate_number="ZYYS-54-0001",
        department=county_a,
        region_id="540102",
    )


def _reveal(client, person):
    return client.post(f"{URL}{person.public_id}/reveal/")


def test_detail_masks_personal_data_and_has_exact_fields(
    person, county_a, user_in_department, api_client_for
):
    inspector = user_in_department(department=county_a)
    response = api_client_for(inspector).get(f"{URL}{person.public_id}/")
    assert response.status_code == 200
    assert response.json() == {
        "public_id": str(person.public_id),
        "name": "卓玛",
        "id_number": "540102********002X",
        "phone": "139****0001",
        "qualification": "执业药师",
        "certificate_number": "ZYYS-54-0001",
        "region": "540102",
        "region_name": "城关区",
        "department": {
            "public_id": str(county_a.public_id),
            "code": "MPA-540102",
            "name": "城关区药监",
        },
        "can_reveal": True,
    }
    # Reading the masked record is not a personal-data read.
    assert registry_events() == []


def test_owner_department_member_reveals_and_the_read_is_audited(
    person, county_a, user_in_department, api_client_for
):
    inspector = user_in_department(department=county_a)
    response = _reveal(api_client_for(inspector), person)
    assert response.status_code == 200
    assert response.json() == {"id_number": "54010219800101002X", "phone": "13908900001"}
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="registry.personal_data_read")
    assert (event.actor_id, event.object_id, event.department_id) == (
        inspector.pk,
        str(person.public_id),
        county_a.pk,
    )


def test_other_department_needs_a_share_grant(
    person, county_a, health_a, user_in_department, api_client_for
):
    # given a health-commission inspector of the same county, without a grant
    client = api_client_for(user_in_department(department=health_a))
    detail = client.get(f"{URL}{person.public_id}/").json()
    # then the data stay masked and cannot be revealed
    assert (detail["id_number"], detail["can_reveal"]) == ("540102********002X", False)
    refused = _reveal(client, person)
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert registry_events() == []
    # when the drug regulator shares personal data with the health commission
    ShareGrantFactory(grantor=county_a, grantee=health_a, data_kind=ShareKind.PERSONAL_DATA)
    client = api_client_for(user_in_department(department=health_a))
    # then a member of the health commission may reveal them, audited
    assert client.get(f"{URL}{person.public_id}/").json()["can_reveal"] is True
    allowed = _reveal(client, person)
    assert allowed.status_code == 200
    assert allowed.json()["id_number"] == "54010219800101002X"
    event = AuditEvent.objects.get(action="registry.personal_data_read")
    assert event.department_id == health_a.pk


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("other_county", 404), ("leader_same_department", 403)],
)
def test_who_may_not_reveal_sees_nothing_and_leaves_no_event(
    who, status, person, county_a, county_b, user_in_department, api_client_for
):
    users = {
        "anonymous": None,
        "other_county": user_in_department(department=county_b),
        "leader_same_department": user_in_department(department=county_a, role=Role.LEADER),
    }
    response = _reveal(api_client_for(users[who]), person)
    assert response.status_code == status
    assert "54010219800101002X" not in response.content.decode()
    assert registry_events() == []


def test_persons_are_scoped(person, county_b, user_in_department, api_client_for):
    PersonFactory(name="次仁", department=county_b, region_id="540202")
    client = api_client_for(user_in_department(department=county_b))
    assert [row["name"] for row in client.get(URL).json()["results"]] == ["次仁"]
    assert client.get(f"{URL}{person.public_id}/").status_code == 404


def test_filters(person, county_a, user_in_department, api_client_for):
    other = PersonFactory(name="次仁多吉", department=county_a, region_id="540121")
    entity = EntityFactory(registered_by=county_a)
    EntityPersonFactory(entity=entity, person=person)
    client = api_client_for(user_in_department(region="540100"))

    def names(query):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200
        return [row["name"] for row in response.json()["results"]]

    assert names("q=多吉") == ["次仁多吉"]
    assert names(f"entity={entity.public_id}") == ["卓玛"]
    assert names("region=540121") == [other.name]
    assert names("region=540100") == ["卓玛", "次仁多吉"]
    assert client.get(f"{URL}?entity=42").status_code == 400


def test_list_query_count_does_not_grow(
    person,
    county_a,
    health_a,
    user_in_department,
    count_queries,
    api_client_for,
    django_assert_max_num_queries,
):
    inspector = user_in_department(department=county_a)
    few = count_queries(inspector, URL)
    PersonFactory.create_batch(3, department=county_a, region_id="540102")
    PersonFactory.create_batch(3, department=health_a, region_id="540102")
    assert count_queries(inspector, URL) == few
    client = api_client_for(inspector)
    with django_assert_max_num_queries(5):
        response = client.get(URL)
    assert [row["can_reveal"] for row in response.json()["results"]].count(True) == 4

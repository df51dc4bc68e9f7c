import pytest

from yaojian.accounts.choices import Role
from yaojian.portal import services
from yaojian.portal.choices import PublicationStatus
from yaojian.portal.tests.factories import penalty, person_penalty

pytestmark = pytest.mark.django_db


def test_public_penalties_need_no_token(api_client_for, published, department, today):
    services.ingest_decision(payload=penalty(department))  # a draft: not listed
    response = api_client_for(None).get("/api/v1/public/penalties/")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    row = response.json()["results"][0]
    assert row["id"] == str(published.public_id)
    assert row["decision_number"] == published.decision_number
    assert "party_credit_code" not in row


def test_public_penalties_are_masked(api_client_for, department, officer, today):
    draft = services.ingest_decision(payload=person_penalty(department))
    services.publish_publication(actor=officer, publication=draft)
    row = (
        api_client_for(None)
        .get("/api/v1/public/penalties/", {"party": "张某"})
        .json()["results"][0]
    )
    assert row["party_name"] == "张某某"
    assert "540102199001011233" not in str(row)
    detail = api_client_for(None).get(f"/api/v1/public/penalties/{draft.public_id}/")
    assert detail.status_code == 200
    assert detail.json()["party_name"] == "张某某"


def test_public_filters_are_validated(api_client_for, db):
    response = api_client_for(None).get("/api/v1/public/penalties/", {"region": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == ["region"]


def test_a_draft_is_not_found_publicly(api_client_for, draft):
    response = api_client_for(None).get(f"/api/v1/public/penalties/{draft.public_id}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_public_list_query_count(api_client_for, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert api_client_for(None).get("/api/v1/public/penalties/").status_code == 200


def test_staff_list_is_scoped(api_client_for, draft, officer, other_department, member_of):
    assert api_client_for(officer).get("/api/v1/portal/publications/").json()["count"] == 1
    stranger = member_of(other_department, Role.CASE_OFFICER)
    assert api_client_for(stranger).get("/api/v1/portal/publications/").json()["count"] == 0
    assert api_client_for(None).get("/api/v1/portal/publications/").status_code == 401


def test_staff_publish_and_withdraw(api_client_for, draft, officer):
    client = api_client_for(officer)
    response = client.post(f"/api/v1/portal/publications/{draft.public_id}/publish/")
    assert response.status_code == 200
    assert response.json()["status"] == PublicationStatus.PUBLISHED
    response = client.post(f"/api/v1/portal/publications/{draft.public_id}/withdraw/", {})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]
    response = client.post(
        f"/api/v1/portal/publications/{draft.public_id}/withdraw/", {"reason": "撤销"}
    )
    assert response.json()["status"] == PublicationStatus.WITHDRAWN


@pytest.mark.parametrize(
    ("role", "same_department", "status"),
    [
        (Role.CASE_OFFICER, True, 200),
        (Role.DEPARTMENT_HEAD, True, 200),
        (Role.LEADER, True, 403),
        (Role.INSPECTOR, True, 404),
        (Role.DEPARTMENT_HEAD, False, 404),
    ],
)
def test_publish_matrix(
    api_client_for, draft, department, other_department, member_of, role, same_department, status
):
    user = member_of(department if same_department else other_department, role)
    response = api_client_for(user).post(f"/api/v1/portal/publications/{draft.public_id}/publish/")
    assert response.status_code == status
    draft.refresh_from_db()
    expected = PublicationStatus.PUBLISHED if status == 200 else PublicationStatus.DRAFT
    assert draft.status == expected


def test_anonymous_cannot_publish(api_client_for, draft):
    response = api_client_for(None).post(f"/api/v1/portal/publications/{draft.public_id}/publish/")
    assert response.status_code == 401
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT

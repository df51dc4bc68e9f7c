"""Downloads (page and API): owners, access rules, outsiders; every download audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.audit.models import AuditEvent
from yaojian.documents.access import register_access_rule, unregister_access_rule
from yaojian.documents.tests.factories import PDF, DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(user_in_department):
    return user_in_department(role=Role.CASE_OFFICER)


@pytest.fixture
def document(owner):
    return DocumentFactory(department=owner.memberships.get().department, subject="test.x:1")


def test_member_of_the_owning_department_downloads_and_it_is_audited(client, owner, document):
    client.force_login(owner)

    response = client.get(reverse("documents:download", args=[document.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-SHA256"] == document.sha256
    assert response.content == PDF
    event = AuditEvent.objects.get(action="documents.document_downloaded")
    assert (event.actor, event.object_id) == (owner, str(document.public_id))


def test_other_department_gets_404_and_nothing_is_audited(client, user_in_department, document):
    client.force_login(user_in_department(role=Role.DEPARTMENT_HEAD))

    response = client.get(reverse("documents:download", args=[document.public_id]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="documents.document_downloaded").exists()


def test_missing_and_malformed_ids_are_404(client, owner):
    client.force_login(owner)

    assert client.get(reverse("documents:download", args=["not-a-uuid"])).status_code == 404
    assert (
        client.get(
            reverse("documents:download", args=["00000000-0000-0000-0000-000000000000"])
        ).status_code
        == 404
    )


def test_an_access_rule_lets_another_department_read(client, user_in_department, document):
    police = user_in_department(role=Role.CASE_OFFICER, kind=DepartmentKind.PUBLIC_SECURITY)
    stranger = user_in_department(role=Role.CASE_OFFICER)

    def rule(user, doc):
        return user == police

    register_access_rule("test.x:", rule)
    try:
        client.force_login(police)
        allowed = client.get(reverse("documents:download", args=[document.public_id]))
        client.force_login(stranger)
        refused = client.get(reverse("documents:download", args=[document.public_id]))
    finally:
        unregister_access_rule("test.x:", rule)

    assert allowed.status_code == 200
    assert refused.status_code == 404


def test_a_failing_rule_counts_as_no(client, user_in_department, document):
    def broken(user, doc):
        raise RuntimeError("boom")

    register_access_rule("test.", broken)
    try:
        client.force_login(user_in_department(role=Role.CASE_OFFICER))
        response = client.get(reverse("documents:download", args=[document.public_id]))
    finally:
        unregister_access_rule("test.", broken)

    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(client, document):
    response = client.get(reverse("documents:download", args=[document.public_id]))

    assert response.status_code == 302


def test_api_lists_my_departments_documents(api_client_for, owner, document, user_in_department):
    DocumentFactory(department=user_in_department().memberships.get().department)

    response = api_client_for(owner).get("/api/v1/documents/")

    assert response.status_code == 200
    assert [row["public_id"] for row in response.json()["results"]] == [str(document.public_id)]
    assert response.json()["results"][0]["sha256"] == document.sha256


def test_api_download_is_audited_and_outsiders_get_404(
    api_client_for, owner, document, user_in_department
):
    url = f"/api/v1/documents/{document.public_id}/download/"

    ok = api_client_for(owner).get(url)
    hidden = api_client_for(user_in_department(role=Role.CASE_OFFICER)).get(url)

    assert ok.status_code == 200
    assert ok.content == PDF
    assert hidden.status_code == 404
    assert AuditEvent.objects.filter(action="documents.document_downloaded").count() == 1


def test_api_list_query_count(api_client_for, owner, django_assert_max_num_queries):
    for _ in range(5):
        DocumentFactory(department=owner.memberships.get().department)
    client = api_client_for(owner)

    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/documents/")

    assert response.json()["count"] == 5

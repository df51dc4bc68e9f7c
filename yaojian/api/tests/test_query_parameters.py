"""Invalid enum values and wrongly typed query parameters answer 400, never silently ignored."""

from __future__ import annotations

import pytest

from yaojian.accounts.choices import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/entities/?kind=nonsense", "kind"),
        ("/api/v1/entities/?updated_after=yesterday", "updated_after"),
        ("/api/v1/entities/bulk/?status=nonsense", "status"),
        ("/api/v1/licences/?status=nonsense", "status"),
        ("/api/v1/departments/?kind=nonsense", "kind"),
        ("/api/v1/notices/?box=outbox", "box"),
        ("/api/v1/notices/?state=lost", "state"),
        ("/api/v1/notices/?overdue=maybe", "overdue"),
        ("/api/v1/webhook-deliveries/?status=lost", "status"),
        ("/api/v1/link-reviews/?state=lost", "state"),
        ("/api/v1/cases/?stage=lost", "stage"),
        ("/api/v1/cases/?due=tomorrow", "due"),
        ("/api/v1/cases/?region=abc", "region"),
    ],
)
def test_invalid_query_parameter_answers_400(api_client_for, user_in_department, url, parameter):
    client = api_client_for(user_in_department(role=Role.ADMINISTRATOR, region="540000"))
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [parameter]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/notices/?box=sent&state=answered&overdue=true",
        "/api/v1/webhook-deliveries/?status=failed",
        "/api/v1/link-reviews/?state=pending&q=药房",
        "/api/v1/cases/?stage=investigation&due=overdue&region=540102",
    ],
)
def test_valid_query_parameters_are_accepted(api_client_for, user_in_department, url):
    client = api_client_for(user_in_department(role=Role.ADMINISTRATOR, region="540000"))
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []

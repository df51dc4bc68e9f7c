"""The notices API: problems fan out, the inbox with its actions, rules, 404 outside."""

from __future__ import annotations

import pytest

from yaojian.audit.models import AuditEvent
from yaojian.notices.models import Notice, RoutingRule


def _record(client, world):
    return client.post(
        "/api/v1/problems/",
        {
            "category": "counterfeit_drug",
            "description": "假药",
            "entity": str(world.pharmacy.public_id),
            "personal_data": [{"role": "complainant", "name": "次仁", "phone": "13900001111"}],
        },
        format="json",
    )


def test_record_answer_close_through_the_api(world, api_client_for):
    inspector = api_client_for(world.inspector)
    response = _record(inspector, world)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert sorted(n["recipient"] for n in body["notices"]) == [
        "HC-540102",
        "MI-540102",
        "PS-540100",
    ]
    assert body["personal_data"] == [
        {"role": "complainant", "name": "次*", "id_number": "", "phone": "139****1111"}
    ]

    insurer = api_client_for(world.insurance_officer)
    inbox = insurer.get("/api/v1/notices/").json()
    assert [n["state"] for n in inbox["results"]] == ["unread"]
    notice_id = inbox["results"][0]["id"]
    assert insurer.get(f"/api/v1/notices/{notice_id}/").json()["state"] == "read"
    refused = insurer.post(f"/api/v1/notices/{notice_id}/close/")
    assert refused.status_code == 403
    refused = insurer.post(f"/api/v1/notices/{notice_id}/answer/", {"answer": "x"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid"
    assert (
        insurer.post(f"/api/v1/notices/{notice_id}/acknowledge/").json()["state"] == "acknowledged"
    )
    answered = insurer.post(
        f"/api/v1/notices/{notice_id}/answer/", {"answer": "已拒付。"}, format="json"
    )
    assert answered.json()["state"] == "answered"

    sent = inspector.get("/api/v1/notices/?box=sent&state=answered").json()
    assert [n["answer"] for n in sent["results"]] == ["已拒付。"]
    assert inspector.post(f"/api/v1/notices/{notice_id}/close/").json()["state"] == "closed"


def test_other_department_sees_nothing(world, api_client_for):
    _record(api_client_for(world.inspector), world)
    notice = Notice.objects.get(recipient=world.insurance)
    stranger = api_client_for(world.stranger)
    assert stranger.get("/api/v1/notices/").json()["results"] == []
    assert stranger.get("/api/v1/problems/").json()["results"] == []
    assert stranger.get(f"/api/v1/notices/{notice.public_id}/").status_code == 404
    assert stranger.post(f"/api/v1/notices/{notice.public_id}/acknowledge/").status_code == 404
    assert stranger.get(f"/api/v1/problems/{notice.problem.public_id}/").status_code == 404
    assert stranger.get("/api/v1/notices/not-a-uuid/").status_code == 404


@pytest.mark.parametrize("who", ["insurance_leader", None])
def test_leaders_cannot_record_and_anonymous_is_refused(world, api_client_for, who):
    client = api_client_for(getattr(world, who) if who else None)
    response = _record(client, world)
    assert response.status_code in (401, 403)
    assert Notice.objects.count() == 0


def test_invalid_problem_answers_400_per_field(world, api_client_for):
    response = api_client_for(world.inspector).post(
        "/api/v1/problems/", {"category": "nope", "description": ""}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"category", "description"}


def test_rules_read_by_all_edited_by_administrators(world, api_client_for):
    rule = RoutingRule.objects.filter(category__code="counterfeit_drug").first()
    assert api_client_for(world.inspector).get("/api/v1/routing-rules/").status_code == 200
    refused = api_client_for(world.inspector).patch(
        f"/api/v1/routing-rules/{rule.public_id}/", {"due_working_days": 3}, format="json"
    )
    assert refused.status_code == 403
    changed = api_client_for(world.admin).patch(
        f"/api/v1/routing-rules/{rule.public_id}/", {"due_working_days": 3}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["due_working_days"] == 3
    assert AuditEvent.objects.filter(action="notices.routing_rule_changed").count() == 1
    bad = api_client_for(world.admin).patch(
        f"/api/v1/routing-rules/{rule.public_id}/", {"due_working_days": 0}, format="json"
    )
    assert bad.status_code == 400


def test_inbox_list_query_count(world, api_client_for, django_assert_max_num_queries):
    client = api_client_for(world.inspector)
    for _ in range(3):
        _record(client, world)
    insurer = api_client_for(world.insurance_officer)
    with django_assert_max_num_queries(8):
        assert len(insurer.get("/api/v1/notices/").json()["results"]) == 3

"""The webhooks API: endpoints (secret once), delivery log, replay, scoping."""

from __future__ import annotations

import pytest

from yaojian.accounts.choices import Role
from yaojian.webhooks.choices import DeliveryStatus
from yaojian.webhooks.models import Endpoint
from yaojian.webhooks.tests.factories import DeliveryFactory, EndpointFactory


@pytest.fixture
def admin_api(admin, api_client_for):
    return api_client_for(admin)


def test_create_returns_the_secret_once(admin_api, receiver):
    response = admin_api.post(
        "/api/v1/webhook-endpoints/",
        {"name": "系统", "url": receiver.url, "event_types": ["*"]},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    secret = Endpoint.objects.get().secret
    assert body["secret"] == secret
    listed = admin_api.get("/api/v1/webhook-endpoints/").json()
    assert listed["results"][0]["id"] == body["id"]
    assert "secret" not in listed["results"][0]
    assert "secret" not in admin_api.get(f"/api/v1/webhook-endpoints/{body['id']}/").json()
    rotated = admin_api.post(f"/api/v1/webhook-endpoints/{body['id']}/rotate-secret/").json()
    assert rotated["secret"] != secret


def test_create_rejects_link_local(admin_api):
    response = admin_api.post(
        "/api/v1/webhook-endpoints/",
        {"name": "x", "url": "http://169.254.169.254/", "event_types": ["*"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "url" in response.json()["errors"]


def test_patch_endpoint(admin_api, department):
    endpoint = EndpointFactory(department=department)
    response = admin_api.patch(
        f"/api/v1/webhook-endpoints/{endpoint.public_id}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_deliveries_are_scoped_and_filtered(admin_api, department, django_assert_max_num_queries):
    mine = EndpointFactory(department=department)
    DeliveryFactory(endpoint=mine, status=DeliveryStatus.DEAD)
    DeliveryFactory(endpoint=mine, status=DeliveryStatus.DELIVERED)
    theirs = DeliveryFactory()
    with django_assert_max_num_queries(8):
        body = admin_api.get("/api/v1/webhook-deliveries/").json()
    assert body["count"] == 2
    assert admin_api.get("/api/v1/webhook-deliveries/", {"status": "dead"}).json()["count"] == 1
    assert admin_api.get(f"/api/v1/webhook-deliveries/{theirs.public_id}/").status_code == 404
    assert (
        admin_api.post(f"/api/v1/webhook-deliveries/{theirs.public_id}/replay/").status_code == 404
    )
    assert (
        admin_api.get(f"/api/v1/webhook-endpoints/{theirs.endpoint.public_id}/").status_code == 404
    )


def test_replay_via_api(admin_api, department, receiver, django_capture_on_commit_callbacks):
    delivery = DeliveryFactory(
        endpoint=EndpointFactory(department=department, url=receiver.url),
        status=DeliveryStatus.DELIVERED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(f"/api/v1/webhook-deliveries/{delivery.public_id}/replay/")
    assert response.status_code == 202
    detail = admin_api.get(f"/api/v1/webhook-deliveries/{delivery.public_id}/").json()
    assert detail["status"] == "delivered"
    assert len(detail["attempt_log"]) == 1
    assert receiver.requests[0].headers["Idempotency-Key"] == delivery.idempotency_key


def test_department_head_reads_but_may_not_replay(user_in_department, api_client_for, department):
    head = api_client_for(user_in_department(role=Role.DEPARTMENT_HEAD, department=department))
    delivery = DeliveryFactory(
        endpoint=EndpointFactory(department=department), status=DeliveryStatus.DEAD
    )
    assert head.get("/api/v1/webhook-deliveries/").json()["count"] == 1
    assert head.post(f"/api/v1/webhook-deliveries/{delivery.public_id}/replay/").status_code == 403
    assert (
        head.post(
            "/api/v1/webhook-endpoints/",
            {"name": "x", "url": "http://127.0.0.1/", "event_types": ["*"]},
            format="json",
        ).status_code
        == 403
    )

"""Webhook pages: scoping, secret shown once, delivery log filters, replay."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.webhooks import views as webhook_views
from yaojian.webhooks.choices import DeliveryStatus
from yaojian.webhooks.models import Delivery, Endpoint
from yaojian.webhooks.tests.factories import DeliveryFactory, EndpointFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    return client


def test_list_shows_my_endpoints_only(admin_client, department, django_assert_max_num_queries):
    EndpointFactory(department=department, name="mine")
    EndpointFactory(name="theirs")
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("webhooks:endpoint_list"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="endpoint-row"') == 1
    assert b"theirs" not in response.content


def test_create_shows_the_secret_once(admin_client, department, receiver):
    response = admin_client.post(
        reverse("webhooks:endpoint_create"),
        {
            "name": "市局系统",
            "url": receiver.url,
            "event_types": ["notice.created", "case.filed"],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    endpoint = Endpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    detail = admin_client.get(reverse("webhooks:endpoint_detail", args=[endpoint.public_id]))
    assert endpoint.secret not in detail.content.decode()


def test_create_with_metadata_url_is_422(admin_client):
    response = admin_client.post(
        reverse("webhooks:endpoint_create"),
        {"name": "x", "url": "http://169.254.169.254/", "event_types": ["*"]},
    )
    assert response.status_code == 422
    assert b"169.254.169.254" in response.content
    assert Endpoint.objects.count() == 0


def test_another_departments_endpoint_and_delivery_are_404(admin_client):
    endpoint = EndpointFactory()
    delivery = DeliveryFactory(endpoint=endpoint)
    assert (
        admin_client.get(reverse("webhooks:endpoint_detail", args=[endpoint.public_id])).status_code
        == 404
    )
    assert (
        admin_client.post(
            reverse("webhooks:endpoint_rotate", args=[endpoint.public_id])
        ).status_code
        == 404
    )
    assert (
        admin_client.get(reverse("webhooks:delivery_detail", args=[delivery.public_id])).status_code
        == 404
    )
    assert (
        admin_client.post(
            reverse("webhooks:delivery_replay", args=[delivery.public_id])
        ).status_code
        == 404
    )


def test_delivery_log_filters_by_status_full_and_partial(admin_client, department):
    endpoint = EndpointFactory(department=department)
    DeliveryFactory(endpoint=endpoint, status=DeliveryStatus.DEAD)
    DeliveryFactory(endpoint=endpoint, status=DeliveryStatus.DELIVERED)
    url = reverse("webhooks:delivery_list")
    full = admin_client.get(url)
    assert full.content.decode().count('data-testid="delivery-row"') == 2
    partial = admin_client.get(url, {"status": "dead"}, **HTMX)
    assert b"<html" not in partial.content
    assert partial.content.decode().count('data-testid="delivery-row"') == 1
    assert b'data-status="dead"' in partial.content


def test_replay_from_the_page(
    admin_client, department, receiver, django_capture_on_commit_callbacks
):
    endpoint = EndpointFactory(department=department, url=receiver.url)
    delivery = DeliveryFactory(endpoint=endpoint, status=DeliveryStatus.DEAD, attempts=6)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("webhooks:delivery_replay", args=[delivery.public_id]), **HTMX
        )
    assert response.status_code == 200
    assert b"<html" not in response.content
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert len(receiver.requests) == 1


def test_pending_delivery_cannot_be_replayed(admin_client, department):
    delivery = DeliveryFactory(endpoint=EndpointFactory(department=department))
    response = admin_client.post(reverse("webhooks:delivery_replay", args=[delivery.public_id]))
    assert response.status_code == 422
    assert Delivery.objects.get().status == DeliveryStatus.PENDING


def test_department_head_reads_without_forms(client, user_in_department, department):
    head = user_in_department(role=Role.DEPARTMENT_HEAD, department=department)
    endpoint = EndpointFactory(department=department)
    client.force_login(head)
    response = client.get(reverse("webhooks:endpoint_detail", args=[endpoint.public_id]))
    assert response.status_code == 200
    assert b'data-testid="endpoint-rotate"' not in response.content
    assert (
        client.post(reverse("webhooks:endpoint_rotate", args=[endpoint.public_id])).status_code
        == 403
    )


def test_inspector_is_refused(client, user_in_department):
    client.force_login(user_in_department(role=Role.INSPECTOR))
    assert client.get(reverse("webhooks:endpoint_list")).status_code == 403


def _endpoint_names(html: str) -> list[str]:
    return re.findall(r'data-testid="endpoint-row">\s*<td[^>]*><a href="[^"]+">([^<]+)</a>', html)


def test_endpoints_sort_by_the_column_heads_and_page(admin_client, department, monkeypatch):
    # given: three endpoints of my department, two a page
    for name, active in (("beta", True), ("alpha", False), ("gamma", True)):
        EndpointFactory(department=department, name=name, is_active=active)
    monkeypatch.setattr(webhook_views, "PAGE_SIZE", 2)
    url = reverse("webhooks:endpoint_list")
    # when / then: by name both ways, the head showing the state, the pager keeping the sort
    html = admin_client.get(url, {"sort": "name"}).content.decode()
    assert _endpoint_names(html) == sorted(["beta", "alpha", "gamma"])[:2]
    assert 'aria-sort="ascending"' in html
    assert 'href="?sort=-name"' in html
    assert "sort=name" in re.search(r'href="(\?[^"]*page=2[^"]*)"', html).group(1)
    page2 = admin_client.get(url, {"sort": "name", "page": 2}).content.decode()
    assert _endpoint_names(page2) == sorted(["beta", "alpha", "gamma"])[2:]
    html = admin_client.get(url, {"sort": "-active"}).content.decode()
    assert "alpha" not in _endpoint_names(html)  # the inactive one sorts last


@pytest.mark.parametrize("bad", ["secret", "-secret", "name;DROP TABLE x", "department__secret"])
def test_an_unknown_endpoint_sort_keeps_the_default_order(admin_client, department, bad):
    for name in ("beta", "alpha"):
        EndpointFactory(department=department, name=name)
    url = reverse("webhooks:endpoint_list")
    default = _endpoint_names(admin_client.get(url).content.decode())
    response = admin_client.get(url, {"sort": bad, "page": "x"})
    assert response.status_code == 200
    assert _endpoint_names(response.content.decode()) == default == sorted(default)
    assert "aria-sort" not in response.content.decode()


def test_the_endpoint_table_as_an_htmx_partial(admin_client, department):
    EndpointFactory(department=department, name="alpha")
    response = admin_client.get(reverse("webhooks:endpoint_list"), {"sort": "url"}, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="endpoint-table">')

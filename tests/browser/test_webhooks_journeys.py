"""Webhooks in a real browser: an administrator adds an endpoint (secret shown once), an event
is delivered to a live receiver, and a dead delivery is replayed from the log."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import TEST_PASSWORD
from yaojian.webhooks.choices import DeliveryStatus
from yaojian.webhooks.models import Endpoint
from yaojian.webhooks.signing import verify
from yaojian.webhooks.tests.factories import DeliveryFactory
from yaojian.webhooks.tests.receiver import start_receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    server = start_receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_admin_adds_endpoint_and_replays_a_dead_delivery(
    page, sign_in, user_in_department, receiver
):
    # given
    admin = user_in_department(role=Role.ADMINISTRATOR)
    sign_in(admin.username, TEST_PASSWORD)
    # when: the administrator adds an endpoint
    page.goto(reverse("webhooks:endpoint_list"))
    page.get_by_test_id("endpoint-create").click()
    form = page.get_by_test_id("endpoint-form")
    form.locator("input[name=name]").fill("市局业务系统")
    form.locator("input[name=url]").fill(receiver.url)
    form.locator("input[name=event_types][value='notice.created']").check()
    form.get_by_test_id("endpoint-submit").click()
    secret = page.get_by_test_id("endpoint-secret").inner_text()
    endpoint = Endpoint.objects.get()
    assert secret == endpoint.secret
    # and an event was given up on after the receiver refused it six times
    delivery = DeliveryFactory(
        endpoint=endpoint,
        idempotency_key="notice:1:created",
        status=DeliveryStatus.DEAD,
        attempts=6,
    )
    # then: replay from the delivery log, the receiver accepts and the signature verifies
    page.goto(reverse("webhooks:delivery_list") + "?status=dead")
    page.get_by_test_id("delivery-row").locator("a").click()
    page.get_by_test_id("delivery-replay").click()
    expect(page.get_by_test_id("attempt-row")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED, delivery.last_error
    request = receiver.requests[-1]
    assert request.headers["Idempotency-Key"] == "notice:1:created"
    assert verify(
        secret,
        request.headers["X-Yaojian-Timestamp"],
        request.body,
        request.headers["X-Yaojian-Signature"],
    )

"""Sending deliveries to a real HTTP receiver on loopback: signatures, retries, dead, replay."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from yaojian.audit.models import AuditEvent
from yaojian.webhooks.choices import DeliveryStatus
from yaojian.webhooks.delivery import attempt_delivery, send_due_deliveries
from yaojian.webhooks.models import Delivery, DeliveryAttempt
from yaojian.webhooks.services import emit, replay_delivery
from yaojian.webhooks.signing import signature, verify
from yaojian.webhooks.tests.factories import EndpointFactory

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _emit(department, key="notice-1:created", event_type="notice.created", **payload):
    return emit(
        event_type=event_type,
        department_ids=[department.pk],
        payload=payload or {"notice": "N-1", "title": "抽检不合格通报"},
        idempotency_key=key,
    )


@pytest.mark.django_db
def test_delivery_is_signed_and_verifiable(
    receiver, department, django_capture_on_commit_callbacks
):
    # given
    endpoint = EndpointFactory(department=department, url=receiver.url)
    # when
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        queued = _emit(department)
    # then
    assert queued == 1
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    delivery = Delivery.objects.get()
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["x-yaojian-event"] == "notice.created"
    assert headers["x-yaojian-delivery"] == str(delivery.public_id)
    assert headers["idempotency-key"] == "notice-1:created"
    assert headers["x-yaojian-timestamp"] == str(int(T0.timestamp()))
    assert verify(
        endpoint.secret,
        headers["x-yaojian-timestamp"],
        request.body,
        headers["x-yaojian-signature"],
    )
    assert not verify(
        "whsec_other", headers["x-yaojian-timestamp"], request.body, headers["x-yaojian-signature"]
    )
    body = json.loads(request.body)
    assert body["event"] == "notice.created"
    assert body["id"] == str(delivery.public_id)
    assert body["data"] == {"notice": "N-1", "title": "抽检不合格通报"}
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 1
    assert delivery.last_status_code == 200
    assert delivery.delivered_at == T0
    attempt = DeliveryAttempt.objects.get()
    assert attempt.status_code == 200
    assert attempt.response_excerpt == '{"ok": true}'


def test_signature_matches_the_documented_recipe():
    assert signature("s3cret", "1700000000", b'{"a":1}') == (
        "sha256=" + __import__("hmac").new(b"s3cret", b'1700000000.{"a":1}', "sha256").hexdigest()
    )


@pytest.mark.django_db
def test_500_then_200_retries_with_backoff_and_delivers_once(
    receiver, department, django_capture_on_commit_callbacks
):
    # given
    EndpointFactory(department=department, url=receiver.url)
    receiver.answer(500)
    with time_machine.travel(T0, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            _emit(department)
        delivery = Delivery.objects.get()
        assert delivery.status == DeliveryStatus.FAILED
        assert delivery.last_status_code == 500
        assert delivery.next_attempt_at == T0 + dt.timedelta(seconds=30)
        # not due yet: the sweep sends nothing
        traveller.shift(dt.timedelta(seconds=29))
        assert send_due_deliveries() == 0
        assert len(receiver.requests) == 1
        # when: the retry is due
        traveller.shift(dt.timedelta(seconds=2))
        assert send_due_deliveries() == 1
        # then
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.DELIVERED
        assert delivery.attempts == 2
        # a late duplicate task does nothing
        assert attempt_delivery(delivery.pk) is None
        assert send_due_deliveries() == 0
    assert len(receiver.requests) == 2
    keys = {r.headers["Idempotency-Key"] for r in receiver.requests}
    ids = {r.headers["X-Yaojian-Delivery"] for r in receiver.requests}
    assert keys == {"notice-1:created"}
    assert ids == {str(delivery.public_id)}
    assert receiver.requests[0].body == receiver.requests[1].body
    assert list(DeliveryAttempt.objects.values_list("status_code", flat=True)) == [500, 200]


@pytest.mark.django_db
def test_dead_after_max_attempts(
    receiver, department, settings, django_capture_on_commit_callbacks
):
    # given
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    settings.WEBHOOKS_RETRY_DELAYS = [10, 20]
    EndpointFactory(department=department, url=receiver.url)
    receiver.default_status = 503
    with time_machine.travel(T0, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            _emit(department)
        traveller.shift(dt.timedelta(seconds=10))
        send_due_deliveries()
        delivery = Delivery.objects.get()
        assert delivery.next_attempt_at == T0 + dt.timedelta(seconds=30)
        traveller.shift(dt.timedelta(seconds=20))
        send_due_deliveries()
        traveller.shift(dt.timedelta(days=1))
        assert send_due_deliveries() == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD
    assert delivery.attempts == 3
    assert delivery.next_attempt_at is None
    assert delivery.last_error == "HTTP 503"
    assert len(receiver.requests) == 3


@pytest.mark.django_db
def test_network_error_is_a_failed_attempt(department, django_capture_on_commit_callbacks):
    # given: nothing listens on the discard port
    EndpointFactory(department=department, url="http://127.0.0.1:9/hook")
    with django_capture_on_commit_callbacks(execute=True):
        _emit(department)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_status_code is None
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error


@pytest.mark.django_db
def test_replay_sends_again_with_the_same_key(
    receiver, admin, department, django_capture_on_commit_callbacks
):
    # given
    EndpointFactory(department=department, url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        _emit(department)
    delivery = Delivery.objects.get()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        replay_delivery(actor=admin, delivery=delivery)
    # then
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 1
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 2
    assert len(receiver.requests) == 2
    assert receiver.requests[1].headers["Idempotency-Key"] == "notice-1:created"
    assert AuditEvent.objects.filter(action="webhooks.delivery_replayed").count() == 1


@pytest.mark.django_db
def test_emit_never_queues_the_same_key_twice(
    receiver, department, django_capture_on_commit_callbacks
):
    EndpointFactory(department=department, url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        assert _emit(department) == 1
        assert _emit(department) == 0
    assert Delivery.objects.count() == 1
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_emit_picks_subscribed_active_endpoints_of_those_departments(department):
    from yaojian.accounts.tests.factories import DepartmentFactory

    subscribed = EndpointFactory(department=department, event_types=["notice.created"])
    EndpointFactory(department=department, event_types=["case.filed"])
    EndpointFactory(department=department, is_active=False)
    EndpointFactory(department=DepartmentFactory())
    assert _emit(department) == 1
    assert list(Delivery.objects.values_list("endpoint_id", flat=True)) == [subscribed.pk]


@pytest.mark.django_db
def test_emit_in_a_rolled_back_transaction_sends_nothing(receiver, department):
    from django.db import transaction

    EndpointFactory(department=department, url=receiver.url)

    class BoomError(Exception):
        pass

    def write_then_fail():
        with transaction.atomic():
            _emit(department)
            raise BoomError

    with pytest.raises(BoomError):
        write_then_fail()
    assert Delivery.objects.count() == 0
    assert receiver.requests == []


@pytest.mark.django_db
def test_emit_rejects_a_bad_event_type(department):
    with pytest.raises(ValueError, match="event type"):
        _emit(department, event_type="Notice Created")


@pytest.mark.django_db
def test_inactive_endpoint_makes_pending_delivery_dead(department, receiver, admin):
    from yaojian.webhooks.services import update_endpoint

    endpoint = EndpointFactory(department=department, url=receiver.url)
    _emit(department)  # on-commit callbacks not run: still pending
    update_endpoint(actor=admin, endpoint=endpoint, is_active=False)
    assert send_due_deliveries() == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DEAD
    assert delivery.last_error == "The endpoint is inactive."
    assert receiver.requests == []


@pytest.mark.django_db
def test_link_local_target_is_refused_at_send_time(department):
    EndpointFactory(department=department, url="http://169.254.169.254/latest/meta-data")
    _emit(department)
    send_due_deliveries()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "ValidationError" in delivery.last_error

"""The event bus: delivered after commit only, never on rollback, handlers isolated
(the outbox behind it: yaojian/outbox/tests)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

from yaojian.core import events
from yaojian.outbox.choices import MessageStatus
from yaojian.outbox.models import Message

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class ThingHappened:
    thing_id: int


@pytest.fixture
def received():
    seen: list[object] = []
    events.subscribe(ThingHappened, seen.append)
    yield seen
    events.unsubscribe(ThingHappened, seen.append)


def test_event_is_delivered_only_after_the_transaction_commits(
    received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            events.publish(ThingHappened(thing_id=1))
            assert received == []
        assert received == []  # still inside the test's outer transaction
    assert received == [ThingHappened(thing_id=1)]


def test_event_is_not_delivered_when_the_transaction_rolls_back(
    received, django_capture_on_commit_callbacks
):
    def publish_then_fail() -> None:
        with transaction.atomic():
            events.publish(ThingHappened(thing_id=2))
            raise RuntimeError("rolled back")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        publish_then_fail()
    assert callbacks == []
    assert received == []


def test_a_failing_handler_does_not_stop_the_others(received, django_capture_on_commit_callbacks):
    # given: a failing handler registered before the recording one
    def broken(event: ThingHappened) -> None:
        raise ValueError("handler bug")

    events.unsubscribe(ThingHappened, received.append)
    events.subscribe(ThingHappened, broken)
    events.subscribe(ThingHappened, received.append)
    try:
        # when
        with django_capture_on_commit_callbacks(execute=True):
            events.publish(ThingHappened(thing_id=3))
    finally:
        events.unsubscribe(ThingHappened, broken)
    # then: the other handler got the event; the failure is kept for a retry, not dropped
    assert received == [ThingHappened(thing_id=3)]
    failed = Message.objects.get(handler__contains="broken")
    assert (failed.status, failed.attempts) == (MessageStatus.FAILED, 1)
    assert "ValueError: handler bug" in failed.last_error


def test_handlers_are_registered_once_and_in_order():
    def first(event: ThingHappened) -> None: ...

    def second(event: ThingHappened) -> None: ...

    events.subscribe(ThingHappened, first)
    events.subscribe(ThingHappened, second)
    events.subscribe(ThingHappened, first)
    try:
        assert events.handlers_for(ThingHappened) == [first, second]
    finally:
        events.unsubscribe(ThingHappened, first)
        events.unsubscribe(ThingHappened, second)
    assert events.handlers_for(ThingHappened) == []


def test_publish_refuses_what_is_not_a_frozen_dataclass(received):
    @dataclass
    class Mutable:
        x: int

    with pytest.raises(TypeError, match="frozen dataclass"):
        events.publish(Mutable(x=1))
    with pytest.raises(TypeError, match="frozen dataclass"):
        events.publish({"thing_id": 1})
    assert Message.objects.count() == 0

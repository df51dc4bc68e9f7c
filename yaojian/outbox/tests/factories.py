"""Factories of the outbox tests."""

from __future__ import annotations

import uuid

import factory
from django.utils import timezone

from yaojian.outbox.choices import MessageStatus
from yaojian.outbox.models import Message


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    event_id = factory.LazyFunction(uuid.uuid4)
    event_type = "yaojian.outbox.tests.handoffs.ThingHandedOff"
    handler = "yaojian.outbox.tests.handoffs.write_effect"
    payload = factory.Sequence(lambda n: {"thing": n})
    idempotency_key = factory.LazyAttribute(lambda o: f"{o.event_id}:{o.handler}")
    status = MessageStatus.DEAD
    attempts = 6
    next_attempt_at = None
    last_error = "RuntimeError: receiving system refused"
    created_at = factory.LazyFunction(timezone.now)

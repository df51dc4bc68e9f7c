"""factory_boy factories for webhooks."""

from __future__ import annotations

import factory

from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.webhooks.models import Delivery, Endpoint
from yaojian.webhooks.signing import new_secret


class EndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endpoint

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"接收系统{n}")
    url = "http://127.0.0.1:9/hook"
    secret = factory.LazyFunction(new_secret)
    event_types = factory.LazyFunction(lambda: ["*"])
    is_active = True


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    endpoint = factory.SubFactory(EndpointFactory)
    event_type = "notice.created"
    payload = factory.LazyFunction(lambda: {"n": 1})
    idempotency_key = factory.Sequence(lambda n: f"key-{n}")

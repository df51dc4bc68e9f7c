"""factory_boy factories for enforcement (rows written directly: test data only)."""

from __future__ import annotations

import datetime as dt

import factory

from yaojian.enforcement.models import EnforcementCredential


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnforcementCredential

    number = factory.Sequence(lambda n: f"54010{n:06d}")
    issued_on = dt.date(2024, 1, 1)
    valid_until = dt.date(2030, 12, 31)

"""Fixtures of the webhooks tests: a live receiver, endpoints, administrators."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from yaojian.accounts.choices import Role
from yaojian.webhooks.tests.receiver import Receiver, start_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = start_receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(autouse=True)
def _allow_loopback(settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def admin(user_in_department: Any) -> Any:
    return user_in_department(role=Role.ADMINISTRATOR)


@pytest.fixture
def department(admin: Any) -> Any:
    return admin.memberships.get().department

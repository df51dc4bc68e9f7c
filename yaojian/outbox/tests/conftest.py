"""Fixtures of the outbox tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from yaojian.core import events
from yaojian.outbox.tests import handoffs


@pytest.fixture
def subscribed() -> Iterator[Callable[..., None]]:
    """``subscribed(handler, ...)``: subscribe test handlers to ThingHandedOff for the test."""
    added: list[Any] = []

    def add(*handlers: Any) -> None:
        for handler in handlers:
            events.subscribe(handoffs.ThingHandedOff, handler)
            added.append(handler)

    handoffs.SEEN.clear()
    yield add
    for handler in added:
        events.unsubscribe(handoffs.ThingHandedOff, handler)
    handoffs.SEEN.clear()

"""Events and handlers used by the outbox tests (module level: the worker finds them by name)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from yaojian.audit.services import record

SEEN: list[Any] = []


@dataclass(frozen=True)
class Inner:
    amount: Decimal
    on: dt.date


@dataclass(frozen=True)
class ThingHandedOff:
    thing: int
    department_id: int = 0
    ref: UUID | None = None
    inner: Inner | None = None
    tags: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def remember(event: ThingHandedOff) -> None:
    """Record the event in memory (what this process saw)."""
    SEEN.append(event)


def write_effect(event: ThingHandedOff) -> None:
    """A database effect: one audit row per delivery."""
    record(actor=None, action="outbox.test_effect", object_type="test", object_id=str(event.thing))


def write_then_fail(event: ThingHandedOff) -> None:
    """Writes, then raises: its write must not survive."""
    write_effect(event)
    raise RuntimeError("receiving system refused")

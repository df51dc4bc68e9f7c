"""The event bus, backed by a transactional outbox.

Services publish frozen dataclasses with :func:`publish`. Publishing writes one outbox row per
(event, subscribed handler) *in the publishing transaction*; the worker delivers each row
after commit, retries failures with backoff and never loses one (a rolled-back change
publishes nothing). The outbox itself lives in :mod:`yaojian.outbox`, which registers its
writer here with :func:`set_outbox` (``core`` imports no app). See docs/subsystems/events.md.

Handlers are registered explicitly with :func:`subscribe`, from an ``AppConfig.ready()``. A
handler is found again in the worker by its *name* (``module.qualname`` unless given).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ImproperlyConfigured

Handler = Callable[[Any], None]
# event type -> {handler name -> handler}, in registration order
_handlers: dict[type, dict[str, Handler]] = {}
# The outbox writer: store(event, handler names) inside the current transaction.
_store: Callable[[Any, list[str]], object] | None = None
_delivery_key: ContextVar[str | None] = ContextVar("yaojian_event_delivery_key", default=None)


def handler_name(handler: Handler) -> str:
    """The name a handler is stored under: ``module.qualname``; made unique for closures and
    bound methods of objects (which only their own process can find again)."""
    module = getattr(handler, "__module__", None) or "builtins"
    qualname = getattr(handler, "__qualname__", None) or type(handler).__qualname__
    name = f"{module}.{qualname}"
    if "<locals>" in qualname or getattr(handler, "__self__", None) is not None:
        name = f"{name}@{id(handler):x}"
    return name


def event_type_name(event_type: type) -> str:
    """The dotted path of an event class (how the outbox stores it)."""
    return f"{event_type.__module__}.{event_type.__qualname__}"


def subscribe(event_type: type, handler: Handler, *, name: str | None = None) -> None:
    """Register ``handler`` to be called with every published ``event_type``.

    Registering the same handler (or name) again has no effect.
    """
    registered = _handlers.setdefault(event_type, {})
    if handler in registered.values():
        return
    registered.setdefault(name or handler_name(handler), handler)


def unsubscribe(event_type: type, handler: Handler) -> None:
    """Remove a handler (used by tests)."""
    registered = _handlers.get(event_type, {})
    for key in [k for k, h in registered.items() if h == handler]:
        del registered[key]


def handlers_for(event_type: type) -> list[Handler]:
    """The handlers registered for ``event_type``, in registration order."""
    return list(_handlers.get(event_type, {}).values())


def named_handlers_for(event_type: type) -> list[tuple[str, Handler]]:
    """``(name, handler)`` for every handler of ``event_type``, in registration order."""
    return list(_handlers.get(event_type, {}).items())


def handler_named(event_type: type, name: str) -> Handler | None:
    """The handler of ``event_type`` registered under ``name`` (None if not registered)."""
    return _handlers.get(event_type, {}).get(name)


def set_outbox(store: Callable[[Any, list[str]], object] | None) -> None:
    """Register the outbox writer (``yaojian.outbox`` does, from its ``ready()``)."""
    global _store
    _store = store


def check_event(event: Any) -> None:
    """Raise ``TypeError`` unless ``event`` is an instance of a module-level frozen dataclass."""
    cls = type(event)
    params = getattr(cls, "__dataclass_params__", None)
    frozen = bool(getattr(params, "frozen", False))
    if not dataclasses.is_dataclass(event) or isinstance(event, type) or not frozen:
        raise TypeError(f"events are frozen dataclass instances, not {cls!r}")
    if "<locals>" in cls.__qualname__:
        raise TypeError(f"event class {cls.__qualname__} must be defined at module level")


def publish(event: Any) -> None:
    """Hand ``event`` to each subscribed handler, durably.

    Writes one outbox row per handler in the current transaction (or in one of its own,
    outside a transaction); the worker delivers them after commit, at least once, each
    handler's effects committed together with its row's "delivered" mark. Nothing is
    written when no handler is subscribed.
    """
    check_event(event)
    names = [name for name, _handler in named_handlers_for(type(event))]
    if not names:
        return
    if _store is None:
        raise ImproperlyConfigured("No event outbox is installed (add yaojian.outbox).")
    _store(event, names)


def delivery_key() -> str | None:
    """The idempotency key of the hand-off being delivered (inside a handler), else None.

    ``<event id>:<handler name>``: the same on every retry and replay of one hand-off, so a
    handler with an effect outside the database can pass it on (webhooks do).
    """
    return _delivery_key.get()


@contextmanager
def delivering(key: str) -> Iterator[None]:
    """Run a handler with :func:`delivery_key` set (used by the outbox)."""
    token = _delivery_key.set(key)
    try:
        yield
    finally:
        _delivery_key.reset(token)

"""The in-process event bus.

Services publish frozen dataclasses with :func:`publish`; the handlers run *after the
surrounding transaction commits* (never for a rolled-back change). Handlers are registered
explicitly with :func:`subscribe`, from an ``AppConfig.ready()``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Handler = Callable[[Any], None]
_handlers: dict[type, list[Handler]] = defaultdict(list)


def subscribe(event_type: type, handler: Handler) -> None:
    """Register ``handler`` to be called with every published ``event_type``."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def unsubscribe(event_type: type, handler: Handler) -> None:
    """Remove a handler (used by tests)."""
    if handler in _handlers[event_type]:
        _handlers[event_type].remove(handler)


def handlers_for(event_type: type) -> list[Handler]:
    """The handlers registered for ``event_type``, in registration order."""
    return list(_handlers.get(event_type, []))


def publish(event: Any) -> None:
    """Deliver ``event`` to its handlers once the current transaction commits.

    Outside a transaction this runs at once. A handler's failure is logged and does not
    stop the other handlers: the publishing change is already committed.
    """

    def deliver() -> None:
        for handler in handlers_for(type(event)):
            try:
                handler(event)
            except Exception:
                logger.exception("event handler %r failed for %r", handler, event)

    transaction.on_commit(deliver)

"""The current request's id and client address, for the audit trail.

Set by :class:`yaojian.core.middleware.RequestContextMiddleware`; read by ``audit.record``.
Commands and workers run without one (empty values).
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    """Who is asking, from where."""

    request_id: str = ""
    ip_address: str | None = None


_EMPTY = RequestContext()
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "yaojian_request_context", default=None
)


def current() -> RequestContext:
    """The context of the request being served (empty outside a request)."""
    return _current.get() or _EMPTY


def bind(context: RequestContext) -> contextvars.Token[RequestContext | None]:
    """Make ``context`` current; returns the token to reset it with."""
    return _current.set(context)


def reset(token: contextvars.Token[RequestContext | None]) -> None:
    """Restore the context that was current before :func:`bind`."""
    _current.reset(token)

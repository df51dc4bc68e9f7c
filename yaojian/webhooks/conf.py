"""Settings of the webhooks app, each with a default (override them in settings.py).

* ``WEBHOOKS_RETRY_DELAYS``: seconds to wait after the 1st, 2nd … failed attempt
  (default 30 s, 2 min, 10 min, 1 h, 6 h).
* ``WEBHOOKS_MAX_ATTEMPTS``: attempts before a delivery is dead (default 6).
* ``WEBHOOKS_TIMEOUT_SECONDS``: connect + read timeout of one attempt (default 5).
* ``WEBHOOKS_ALLOW_PRIVATE``: allow loopback and private addresses (default: ``DEBUG``).
  Link-local addresses (169.254.0.0/16, fe80::/10, cloud metadata) are refused always.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from yaojian.core.retry import DEFAULT_DELAYS, DEFAULT_MAX_ATTEMPTS, RetryPolicy

DEFAULT_RETRY_DELAYS = DEFAULT_DELAYS


def retry_delays() -> tuple[int, ...]:
    return tuple(getattr(settings, "WEBHOOKS_RETRY_DELAYS", DEFAULT_RETRY_DELAYS))


def max_attempts() -> int:
    return int(getattr(settings, "WEBHOOKS_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def timeout_seconds() -> float:
    return float(getattr(settings, "WEBHOOKS_TIMEOUT_SECONDS", 5))


def allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", settings.DEBUG))


def policy() -> RetryPolicy:
    """The retry schedule of webhook deliveries (shared code: :mod:`yaojian.core.retry`)."""
    return RetryPolicy(delays=retry_delays(), max_attempts=max_attempts())


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt (the last delay repeats)."""
    return policy().delay(attempts)


def lease() -> timedelta:
    """How long a claimed delivery is not picked again (a worker that died mid-send)."""
    return timedelta(seconds=timeout_seconds() * 2 + 30)

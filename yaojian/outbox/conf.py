"""Settings of the outbox, each with a default (override in settings or the environment).

* ``OUTBOX_RETRY_DELAYS`` / ``OUTBOX_MAX_ATTEMPTS``: the retry schedule (default the shared
  one of :mod:`yaojian.core.retry`: 30 s, 2 min, 10 min, 1 h, 6 h; six attempts).
* ``OUTBOX_LEASE_SECONDS``: how long a taken hand-off is not taken again (a worker that died
  in the middle of it); default 120.
* ``OUTBOX_SWEEP_SECONDS``: how often the scheduler runs the sweep that delivers every due
  hand-off (lost enqueues, expired leases, retries); default 60.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from yaojian.core.retry import DEFAULT_DELAYS, DEFAULT_MAX_ATTEMPTS, RetryPolicy

SWEEP_BATCH = 20


def policy() -> RetryPolicy:
    return RetryPolicy(
        delays=tuple(getattr(settings, "OUTBOX_RETRY_DELAYS", DEFAULT_DELAYS)),
        max_attempts=int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)),
    )


def lease() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "OUTBOX_LEASE_SECONDS", 120)))


def sweep_every() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "OUTBOX_SWEEP_SECONDS", 60)))

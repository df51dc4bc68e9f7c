"""The retry schedule shared by every at-least-once hand-off (webhooks, the event outbox).

A failed attempt waits ``delays[attempts - 1]`` seconds before the next one (the last delay
repeats); after ``max_attempts`` attempts the hand-off is *dead* and waits for an
administrator's replay. The default schedule is 30 s, 2 min, 10 min, 1 h, 6 h; six attempts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_DELAYS: tuple[int, ...] = (30, 120, 600, 3600, 21600)
DEFAULT_MAX_ATTEMPTS = 6


@dataclass(frozen=True)
class RetryPolicy:
    """When to try again after a failure, and when to give up."""

    delays: tuple[int, ...] = DEFAULT_DELAYS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    def delay(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed attempt (the last delay repeats)."""
        delays = self.delays or (60,)
        return timedelta(seconds=delays[max(1, min(attempts, len(delays))) - 1])

    def gives_up(self, attempts: int) -> bool:
        """True when ``attempts`` attempts are all a hand-off gets."""
        return attempts >= self.max_attempts

    def next_attempt(self, attempts: int, failed_at: datetime) -> datetime | None:
        """When to try again after the ``attempts``-th failure; ``None``: give up (dead)."""
        if self.gives_up(attempts):
            return None
        return failed_at + self.delay(attempts)

"""Background work of the complaints app (periodic, idempotent)."""

from __future__ import annotations

from django_tasks import task

from yaojian.complaints import services, throttle


@task()
def complaints_sweep_task() -> int:
    """Escalate overdue clocks, pick up clues not filed, forget old rate-limit hits."""
    done = services.sync_cases_not_filed()
    done += services.escalate_overdue()
    throttle.purge()
    return done

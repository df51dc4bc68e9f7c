"""Background work of the notices app."""

from __future__ import annotations

from django_tasks import task

from yaojian.notices import services


@task()
def escalate_overdue_notices_task() -> int:
    """Escalate overdue notices (run periodically; idempotent)."""
    return services.escalate_overdue_notices(actor=None)

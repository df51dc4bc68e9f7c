"""Background tasks of the webhooks app (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from yaojian.webhooks.delivery import attempt_delivery, send_due_deliveries


@task()
def send_delivery_task(delivery_id: int) -> str | None:
    """Make one attempt at a delivery if it is due; safe to run twice (the claim guards it)."""
    return attempt_delivery(delivery_id)


@task()
def send_due_deliveries_task() -> int:
    """Enqueue every due delivery (registered with the clocks scheduler every minute)."""
    return send_due_deliveries()


@task()
def send_audit_checkpoint_task() -> int:
    """Queue a signed checkpoint of the audit chain (event ``audit.checkpoint``) to the
    endpoints of the departments in ``AUDIT_CHECKPOINT_DEPARTMENTS`` (ADR 0011); returns how
    many deliveries were queued (0 when none are configured or the chain has not moved)."""
    from yaojian.webhooks.services import send_audit_checkpoint

    return send_audit_checkpoint()

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

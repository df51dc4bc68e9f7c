"""Background tasks of the outbox (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from yaojian.outbox.delivery import deliver, deliver_due, deliver_many


@task()
def deliver_message_task(message_id: int) -> str | None:
    """Deliver one hand-off if it is due; safe to run twice (the claim guards it)."""
    return deliver(message_id)


@task()
def deliver_messages_task(message_ids: list[int]) -> list[str | None]:
    """Deliver the hand-offs of one event (each claimed, run and retried on its own); safe to
    run twice (the claim guards each)."""
    return deliver_many(message_ids)


@task()
def deliver_due_task() -> int:
    """Deliver every due hand-off (registered with the clocks scheduler)."""
    return deliver_due()

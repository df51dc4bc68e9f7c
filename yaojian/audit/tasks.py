"""Background tasks of the audit app (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from yaojian.audit.checkpoints import write_checkpoint


@task()
def write_checkpoint_task() -> int | None:
    """Append a signed checkpoint of the chain (registered with the clocks scheduler every
    ``AUDIT_CHECKPOINT_MINUTES``); returns the count it signed, ``None`` when unchanged.
    Safe to run twice: an unchanged chain is not checkpointed again."""
    checkpoint = write_checkpoint()
    return checkpoint.count if checkpoint else None

"""Background tasks of the portal (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from yaojian.portal import services


@task()
def expire_publications_task() -> int:
    """Expire the publications past their display period; idempotent. Returns how many."""
    return services.expire_publications()

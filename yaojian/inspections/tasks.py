"""Background tasks of inspections (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from yaojian.inspections import services


@task()
def rate_entities_task(prefix: str) -> int:
    """Re-rate every active entity under a region prefix (after a province's settings
    changed). Idempotent: the worksheets are derived data, recomputed from the records."""
    return services.rate_all(prefix=prefix)

"""Background tasks of the dashboard: snapshots of figures, list exports (ids as arguments)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from yaojian.jobs.services import run_job


@task()
def refresh_snapshots_task() -> int:
    """Recompute the snapshots someone looked at in the last week; returns how many.

    Idempotent: a rerun recomputes the same figures from the same rows.
    """
    from yaojian.dashboard.models import Snapshot
    from yaojian.dashboard.scope import DashboardScope
    from yaojian.dashboard.services import refresh_snapshot
    from yaojian.territory.codes import subtree_prefix

    since = timezone.now() - dt.timedelta(days=7)
    count = 0
    for snapshot in Snapshot.objects.filter(last_viewed_at__gte=since).select_related("region"):
        scope = DashboardScope(
            region=snapshot.region,
            prefix=subtree_prefix(snapshot.region.code),
            kinds=tuple(k for k in snapshot.kinds.split(",") if k),
            home_code=snapshot.region.code,
        )
        refresh_snapshot(actor=None, scope=scope)
        count += 1
    return count


@task()
def export_list_task(job_id: int) -> str:
    """Write the export of job ``job_id``; returns the job's final status (safe to retry)."""
    from yaojian.dashboard.exports import write_list_export

    return str(run_job(job_id, write_list_export).status)

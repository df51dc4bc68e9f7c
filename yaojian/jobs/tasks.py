"""Background tasks of the jobs app (run by ``manage.py db_worker``)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from yaojian.jobs.services import fail_stale_jobs


@task()
def fail_stale_jobs_task(max_age_minutes: int = 60) -> int:
    """Fail running jobs silent for ``max_age_minutes``; returns how many were failed.

    Enqueue it periodically (e.g. from cron) so that a worker restart never leaves a job
    "running" forever.
    """
    return fail_stale_jobs(older_than=timedelta(minutes=max_age_minutes))

"""Background tasks of the jobs app (run by ``manage.py db_worker``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from yaojian.jobs.services import fail_stale_jobs, requeue_stranded_tasks


@task()
def fail_stale_jobs_task(max_age_minutes: int = 60) -> int:
    """Fail running jobs silent for ``max_age_minutes``; returns how many were failed.

    Enqueue it periodically (e.g. from cron) so that a worker restart never leaves a job
    "running" forever.
    """
    return fail_stale_jobs(older_than=timedelta(minutes=max_age_minutes))


@task()
def requeue_stranded_tasks_task() -> int:
    """Queue again the tasks a killed worker left running (``TASK_RUNNING_LIMIT_MINUTES``)."""
    minutes = int(getattr(settings, "TASK_RUNNING_LIMIT_MINUTES", 360))
    return requeue_stranded_tasks(older_than=timedelta(minutes=minutes))

"""Background tasks of the linkage app (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from yaojian.jobs.services import run_job
from yaojian.linkage.files import run_link_files_job


@task()
def link_files_task(job_id: int) -> str:
    """Reconcile the two lists of job ``job_id`` into PAIRS.csv; returns the job's status.

    Safe to retry: the file is rewritten and the job finishes again with the same result.
    """
    return str(run_job(job_id, run_link_files_job).status)

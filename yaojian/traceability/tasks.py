"""Background tasks of the traceability app (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from yaojian.jobs.services import run_job


@task()
def ingest_batch_task(job_id: int) -> str:
    """Ingest the batch of job ``job_id``; returns the job's final status.

    Safe to run again: a batch already done is not ingested twice, and a batch whose worker
    died is ingested from its files after removing what of it reached the store.
    """
    from yaojian.traceability.services import run_ingest_job

    return str(run_job(job_id, run_ingest_job).status)

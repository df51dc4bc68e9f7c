"""Background tasks of the registry (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from yaojian.jobs.services import run_job
from yaojian.registry.exports import write_entity_export


@task()
def export_entities_task(job_id: int) -> str:
    """Write the CSV export of job ``job_id``; returns the job's final status.

    Safe to retry: the file is rewritten and the job finishes again with the same result.
    """
    return str(run_job(job_id, write_entity_export).status)


@task()
def refresh_search_postings_task() -> int:
    """Write the name postings a bulk write left pending (ADR 0032); idempotent."""
    from yaojian.registry.postings import refresh_postings

    return refresh_postings()

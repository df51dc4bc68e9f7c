"""Background tasks of the exchange app (run by ``manage.py db_worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from yaojian.exchange.models import ImportBatch
from yaojian.jobs.models import Job
from yaojian.jobs.services import run_job


def _body(job: Job) -> tuple[dict[str, Any], str]:
    from yaojian.exchange.services import batch_result, run_import

    batch = ImportBatch.objects.select_related("department", "uploaded_by").get(job=job)
    batch = run_import(batch, job=job)
    if batch.status == "failed":
        raise RuntimeError(batch.error)
    return batch_result(batch), ""


@task()
def run_import_task(job_id: int) -> str:
    """Validate and apply the batch of job ``job_id``; returns the job's final status.

    Safe to retry: a finished batch is not run again.
    """
    return str(run_job(job_id, _body).status)


def run_import_now(job_id: int) -> None:
    """Run a small import in the request that uploaded it, right after the commit, instead of
    waiting for the worker to poll (a few rows take well under a second). If it fails to run
    at all, the worker gets it: the task is enqueued as usual (a finished batch is not run
    again)."""
    import logging

    try:
        run_job(job_id, _body)
    except Exception:
        logging.getLogger(__name__).exception("inline import of job %s failed; queued", job_id)
        run_import_task.enqueue(job_id=job_id)

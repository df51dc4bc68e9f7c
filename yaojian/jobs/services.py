"""Writes of the jobs app: start, report progress, finish.

Usage from another app's task::

    job = start_job(actor=user, kind="registry.export", title=..., parameters={...})
    enqueue_on_commit(export_entities_task, job_id=job.pk)      # in the service
    ...
    # in the task body:
    job = begin_job(job_id)
    report_progress(job, done=500, total=30000)
    complete_job(job, result={...}, result_file="exports/x.csv")   # or fail_job(job, error=...)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yaojian.audit.services import record
from yaojian.jobs.choices import JobStatus
from yaojian.jobs.models import Job


@transaction.atomic
def start_job(
    *, actor: Any, kind: str, title: str, parameters: dict[str, Any] | None = None
) -> Job:
    """Create a queued job owned by ``actor`` (audited)."""
    job = Job(kind=kind, title=title[:255], owner=actor, parameters=parameters or {})
    job.full_clean()
    job.save()
    record(actor=actor, action="jobs.job_started", obj=job, changes={"kind": kind})
    return job


def enqueue_on_commit(task: Any, **kwargs: Any) -> None:
    """Enqueue a django-tasks task once the current transaction commits."""
    transaction.on_commit(lambda: task.enqueue(**kwargs))


def begin_job(job_id: int) -> Job:
    """Mark a job running (called by the worker at the start of the task body)."""
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), updated_at=timezone.now()
    )
    return Job.objects.get(pk=job_id)


def report_progress(job: Job, *, done: int, total: int | None = None, message: str = "") -> None:
    """Record progress (a single UPDATE; safe to call often)."""
    fields: dict[str, Any] = {"done": done, "updated_at": timezone.now()}
    if total is not None:
        fields["total"] = total
        job.total = total
    if message:
        fields["message"] = message[:255]
        job.message = message[:255]
    job.done = done
    Job.objects.filter(pk=job.pk).update(**fields)


def add_progress(job: Job, *, step: int) -> None:
    """Add ``step`` to ``done`` atomically (for work split across calls)."""
    Job.objects.filter(pk=job.pk).update(done=F("done") + step, updated_at=timezone.now())


@transaction.atomic
def complete_job(job: Job, *, result: dict[str, Any] | None = None, result_file: str = "") -> Job:
    """Mark a job succeeded with its result (audited as the job's owner)."""
    job.status = JobStatus.SUCCEEDED
    job.result = result or {}
    job.result_file = result_file
    job.finished_at = timezone.now()
    if job.total:
        job.done = job.total
    job.save(update_fields=["status", "result", "result_file", "finished_at", "done", "updated_at"])
    record(actor=job.owner, action="jobs.job_succeeded", obj=job, changes=job.result)
    return job


@transaction.atomic
def fail_job(job: Job, *, error: str) -> Job:
    """Mark a job failed with a message the owner can read (audited)."""
    job.status = JobStatus.FAILED
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    record(actor=job.owner, action="jobs.job_failed", obj=job, changes={"error": error[:500]})
    return job


def run_job(job_id: int, body: Callable[[Job], tuple[dict[str, Any], str]]) -> Job:
    """Run ``body(job) -> (result, result_file)`` as the job, recording success or failure."""
    job = begin_job(job_id)
    try:
        result, result_file = body(job)
    except Exception as exc:  # the owner sees the failure; the worker log has the trace
        import logging

        logging.getLogger(__name__).exception("job %s failed", job_id)
        return fail_job(job, error=str(exc) or exc.__class__.__name__)
    return complete_job(job, result=result, result_file=result_file)

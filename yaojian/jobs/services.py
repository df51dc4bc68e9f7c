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
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

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


STALE_JOB_ERROR = gettext_lazy(
    "The job stopped reporting progress; the worker may have been restarted. Start it again."
)


def fail_stale_jobs(*, older_than: timedelta) -> int:
    """Fail running jobs that reported nothing for ``older_than`` (a worker died under them).

    Their owners then see a failure instead of a progress bar that never moves. Returns the
    number of jobs failed. Idempotent: a failed job is not running any more.
    """
    cutoff = timezone.now() - older_than
    stale = Job.objects.filter(status=JobStatus.RUNNING, updated_at__lt=cutoff).order_by("pk")
    failed = 0
    for job_id in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            job = (
                Job.objects.select_for_update(no_key=True)
                .select_related("owner")
                .filter(pk=job_id, status=JobStatus.RUNNING, updated_at__lt=cutoff)
                .first()
            )
            if job is None:  # it moved on meanwhile
                continue
            fail_job(job, error=str(STALE_JOB_ERROR))
            failed += 1
    return failed


def requeue_stranded_tasks(*, older_than: timedelta) -> int:
    """Put back on the queue the task rows left ``RUNNING`` for ``older_than``.

    ``django_tasks_db`` marks a task ``RUNNING`` when a worker claims it and never looks at it
    again: a worker killed under a task (a deployment, the OOM killer) leaves it running
    forever, never retried. Every task here is safe to run twice (STYLE.md), so a row older
    than any task's run (``TASK_RUNNING_LIMIT_MINUTES``, 360 by default) is made ``READY`` again
    and the next worker takes it; ``worker_ids`` keeps the workers that tried. Returns how many.
    """
    cutoff = timezone.now() - older_than
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)


@transaction.atomic
def record_download(*, actor: Any, job: Job) -> None:
    """Audit that ``actor`` downloaded the result file of ``job`` (exports may hold personal data)."""
    record(
        actor=actor,
        action="jobs.result_downloaded",
        obj=job,
        changes={"result_file": job.result_file},
    )

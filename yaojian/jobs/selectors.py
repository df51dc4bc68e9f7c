"""Reads of the jobs app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from yaojian.jobs.choices import JobStatus
from yaojian.jobs.models import Job


def jobs_visible_to(user: Any) -> QuerySet[Job]:
    """The jobs ``user`` may watch: their own (superusers: all), newest first."""
    return Job.objects.visible_to(user).select_related("owner").order_by("-created_at", "-pk")


def get_job_for_user(user: Any, public_id: Any) -> Job:
    """One job ``user`` may watch, else ``Job.DoesNotExist`` (missing and forbidden alike)."""
    return jobs_visible_to(user).get(public_id=public_id)


def get_downloadable_job(user: Any, public_id: Any) -> Job:
    """A succeeded job of ``user``'s own with a result file, else ``Job.DoesNotExist``.

    Result files go to their owner only, even when an administrator may watch the job.
    """
    return (
        Job.objects.filter(owner=user, status=JobStatus.SUCCEEDED)
        .exclude(result_file="")
        .get(public_id=public_id)
    )


def result_path(job: Job) -> Path | None:
    """The absolute path of ``job``'s result file inside ``MEDIA_ROOT``, or ``None``.

    ``None`` when the file is missing or the stored name would leave ``MEDIA_ROOT``
    (absolute paths, ``..``, symlinks pointing outside).
    """
    if not job.result_file:
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    candidate = (root / job.result_file).resolve()
    if not candidate.is_relative_to(root) or candidate == root or not candidate.is_file():
        return None
    return candidate

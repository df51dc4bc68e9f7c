"""Pages of the jobs app: my jobs, one job with live progress, the result download."""

from __future__ import annotations

from django.core.exceptions import SuspiciousFileOperation
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import get_valid_filename
from django_htmx.http import HttpResponseStopPolling

from yaojian.core import sorting
from yaojian.core.htmx import is_partial
from yaojian.jobs import selectors, services
from yaojian.jobs.models import Job

PAGE_SIZE = 25
JOB_SORTS = {
    "title": "title",
    "status": "status",
    "started": "started_at",
    "finished": "finished_at",
}


def job_list(request: HttpRequest) -> HttpResponse:
    """The jobs I started, newest first."""
    jobs = selectors.jobs_visible_to(request.user)
    page = Paginator(sorting.sort(request, jobs, JOB_SORTS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "jobs/job_list.html", {"page_obj": page, "jobs": page.object_list})


def job_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One job. htmx polls ``#job-progress`` every second until the job has finished; the
    finished partial answers 286 so that htmx stops polling."""
    job = selectors.get_job_for_user(request.user, public_id)
    if not is_partial(request):
        return render(request, "jobs/job_detail.html", {"job": job})
    response = render(request, "jobs/job_detail.html#job-progress", {"job": job})
    if job.is_finished:
        response.status_code = HttpResponseStopPolling.status_code
    return response


def job_download(request: HttpRequest, public_id: str) -> FileResponse:
    """Stream the job's result file to its owner (audited)."""
    job = selectors.get_downloadable_job(request.user, public_id)
    path = selectors.result_path(job)
    if path is None:
        raise Job.DoesNotExist
    try:
        filename = get_valid_filename(path.name)
    except SuspiciousFileOperation:
        filename = "result"
    services.record_download(actor=request.user, job=job)
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename)

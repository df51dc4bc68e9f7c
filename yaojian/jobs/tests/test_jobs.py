"""Jobs: progress through the services, the pages, the download, and the task backends."""

from __future__ import annotations

import datetime as dt
import signal
import uuid
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yaojian.accounts.tests.factories import UserFactory
from yaojian.audit.models import AuditEvent
from yaojian.jobs import services
from yaojian.jobs.choices import JobStatus
from yaojian.jobs.models import Job
from yaojian.jobs.tasks import fail_stale_jobs_task, requeue_stranded_tasks_task

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _job(owner, **fields) -> Job:
    job = services.start_job(actor=owner, kind="test.export", title="导出监管对象")
    if fields:
        Job.objects.filter(pk=job.pk).update(**fields)
        job.refresh_from_db()
    return job


def _write_result(settings, relative: str, content: bytes = b"a,b\n1,2\n") -> None:
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


# --- services --------------------------------------------------------------------------


def test_progress_is_reported_and_completed_through_the_services():
    # given
    owner = UserFactory()
    job = _job(owner)
    # when
    running = services.begin_job(job.pk)
    services.report_progress(running, done=250, total=1000, message="第一批")
    halfway = Job.objects.get(pk=job.pk)
    services.complete_job(running, result={"rows": 1000}, result_file="exports/x.csv")
    # then
    assert (halfway.status, halfway.percent, halfway.message) == (JobStatus.RUNNING, 25, "第一批")
    done = Job.objects.get(pk=job.pk)
    assert (done.status, done.percent, done.done, done.result) == (
        JobStatus.SUCCEEDED,
        100,
        1000,
        {"rows": 1000},
    )
    assert done.finished_at is not None
    assert list(
        AuditEvent.objects.filter(object_id=str(job.public_id)).values_list("action", flat=True)
    ) == ["jobs.job_started", "jobs.job_succeeded"]


def test_run_job_records_a_failure_for_the_owner():
    owner = UserFactory()
    job = _job(owner)

    def body(job):
        raise ValueError("第 3 行无法读取")

    failed = services.run_job(job.pk, body)
    assert (failed.status, failed.error) == (JobStatus.FAILED, "第 3 行无法读取")


def test_stale_running_jobs_are_failed_and_fresh_ones_are_left_alone():
    owner = UserFactory()
    with time_machine.travel(timezone.now() - dt.timedelta(hours=2)):
        stale = _job(owner)
        services.begin_job(stale.pk)
    fresh = _job(owner)
    services.begin_job(fresh.pk)
    queued_long_ago = _job(owner, updated_at=timezone.now() - dt.timedelta(hours=3))

    assert services.fail_stale_jobs(older_than=dt.timedelta(minutes=60)) == 1

    assert Job.objects.get(pk=stale.pk).status == JobStatus.FAILED
    assert Job.objects.get(pk=fresh.pk).status == JobStatus.RUNNING
    assert Job.objects.get(pk=queued_long_ago.pk).status == JobStatus.QUEUED
    assert services.fail_stale_jobs(older_than=dt.timedelta(minutes=60)) == 0


# --- task backends ---------------------------------------------------------------------


def test_immediate_backend_runs_the_task_at_once():
    owner = UserFactory()
    job = _job(owner, status=JobStatus.RUNNING, updated_at=timezone.now() - dt.timedelta(hours=2))
    result = fail_stale_jobs_task.enqueue(max_age_minutes=60)
    assert result.return_value == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def _run_db_worker_batch() -> None:
    """``manage.py db_worker --batch`` in-process; it installs signal handlers, restore them."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
def test_database_backend_queues_a_row_that_db_worker_runs(settings):
    # given
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    owner = UserFactory()
    job = _job(owner, status=JobStatus.RUNNING, updated_at=timezone.now() - dt.timedelta(hours=2))
    # when: enqueue only after the surrounding transaction commits
    with transaction.atomic():
        services.enqueue_on_commit(fail_stale_jobs_task, max_age_minutes=60)
        assert DBTaskResult.objects.count() == 0
    queued = DBTaskResult.objects.get()
    # then
    assert queued.status == "READY"
    assert queued.task_path == "yaojian.jobs.tasks.fail_stale_jobs_task"
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
    _run_db_worker_batch()
    queued.refresh_from_db()
    assert (queued.status, queued.return_value) == ("SUCCESSFUL", 1)
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


# --- pages -------------------------------------------------------------------------------


def test_job_list_shows_my_jobs_only(client):
    me, someone = UserFactory(), UserFactory()
    mine = _job(me)
    _job(someone)
    client.force_login(me)
    response = client.get(reverse("jobs:job_list"))
    assert response.status_code == 200
    assert list(response.context["jobs"]) == [mine]


def test_job_detail_polls_while_the_job_runs(client):
    owner = UserFactory()
    job = _job(owner, status=JobStatus.RUNNING, done=3, total=4, message="处理中")
    client.force_login(owner)
    url = reverse("jobs:job_detail", args=[job.public_id])
    page = client.get(url)
    partial = client.get(url, headers=HTMX)
    assert page.status_code == 200
    assert "<html" in page.text
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert partial.text.lstrip().startswith('<section id="job-progress"')
    assert f'hx-get="{url}"' in partial.text
    assert 'hx-trigger="every 1s"' in partial.text
    assert 'aria-valuenow="75"' in partial.text
    assert "处理中" in partial.text


def test_finished_job_stops_the_polling(client, settings):
    owner = UserFactory()
    job = _job(owner)
    services.complete_job(job, result={"rows": 2}, result_file="exports/a.csv")
    _write_result(settings, "exports/a.csv")
    client.force_login(owner)
    partial = client.get(reverse("jobs:job_detail", args=[job.public_id]), headers=HTMX)
    assert partial.status_code == 286
    assert "hx-trigger" not in partial.text
    assert 'aria-valuenow="100"' in partial.text
    assert reverse("jobs:job_download", args=[job.public_id]) in partial.text


def test_failed_job_shows_its_error(client):
    owner = UserFactory()
    job = _job(owner)
    services.fail_job(job, error="文件格式不对。")
    client.force_login(owner)
    response = client.get(reverse("jobs:job_detail", args=[job.public_id]))
    assert "文件格式不对。" in response.text
    assert 'hx-trigger="every' not in response.text  # no polling (the header badge loads once)


def test_someone_elses_job_is_404_like_a_missing_one(client):
    owner, other = UserFactory(), UserFactory()
    job = _job(owner)
    client.force_login(other)
    forbidden = client.get(reverse("jobs:job_detail", args=[job.public_id]))
    missing = client.get(reverse("jobs:job_detail", args=[uuid.uuid4()]))
    assert forbidden.status_code == missing.status_code == 404


def test_owner_downloads_the_result_with_a_safe_name(client, settings):
    owner = UserFactory()
    job = _job(owner)
    _write_result(settings, "exports/监管对象 2026.csv", b"name\n\xe5\xbc\xa0\n")
    services.complete_job(job, result={}, result_file="exports/监管对象 2026.csv")
    client.force_login(owner)
    response = client.get(reverse("jobs:job_download", args=[job.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"name\n\xe5\xbc\xa0\n"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E7%9B%91%E7%AE%A1%E5%AF%B9%E8%B1%A1_2026.csv" in disposition
    assert AuditEvent.objects.filter(action="jobs.result_downloaded").count() == 1


def test_download_is_for_the_owner_only(client, settings, system_user):
    owner = UserFactory()
    job = _job(owner)
    _write_result(settings, "exports/a.csv")
    services.complete_job(job, result={}, result_file="exports/a.csv")
    client.force_login(system_user)
    assert client.get(reverse("jobs:job_detail", args=[job.public_id])).status_code == 200
    assert client.get(reverse("jobs:job_download", args=[job.public_id])).status_code == 404
    assert AuditEvent.objects.filter(action="jobs.result_downloaded").count() == 0


@pytest.mark.parametrize("stored", ["../secret.txt", "/etc/passwd", "exports/../../secret.txt", ""])
def test_download_never_leaves_media_root(client, settings, tmp_path, stored):
    # given: a file next to MEDIA_ROOT that a crafted name would reach
    (Path(settings.MEDIA_ROOT).parent / "secret.txt").write_text("secret")
    owner = UserFactory()
    job = _job(owner)
    services.complete_job(job, result={}, result_file=stored)
    client.force_login(owner)
    # when
    response = client.get(reverse("jobs:job_download", args=[job.public_id]))
    # then
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="jobs.result_downloaded").count() == 0


def test_download_of_a_missing_file_is_404(client):
    owner = UserFactory()
    job = _job(owner)
    services.complete_job(job, result={}, result_file="exports/gone.csv")
    client.force_login(owner)
    assert client.get(reverse("jobs:job_download", args=[job.public_id])).status_code == 404


def test_job_list_query_count(client, django_assert_max_num_queries):
    owner = UserFactory()
    for _ in range(15):
        _job(owner)
    client.force_login(owner)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("jobs:job_list"))
    assert len(response.context["jobs"]) == 15


def _task_row(status: str, started_minutes_ago: int | None) -> DBTaskResult:
    from django_tasks_db.models import get_date_max

    started = (
        None
        if started_minutes_ago is None
        else timezone.now() - dt.timedelta(minutes=started_minutes_ago)
    )
    return DBTaskResult.objects.create(
        status=status,
        task_path="yaojian.jobs.tasks.fail_stale_jobs_task",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=get_date_max(),
        started_at=started,
        worker_ids=["w1"] if started is not None else [],
    )


def test_tasks_a_killed_worker_left_running_are_queued_again(db) -> None:
    # given: a task claimed 7 hours ago by a worker that died, one claimed a minute ago, one done
    stranded = _task_row("RUNNING", 7 * 60)
    running = _task_row("RUNNING", 1)
    done = _task_row("SUCCESSFUL", 8 * 60)
    # when: the periodic sweep runs (the default limit: 6 hours)
    assert requeue_stranded_tasks_task.call() == 1
    # then: only the stranded one is ready again, for the next worker, its history kept
    stranded.refresh_from_db()
    assert (stranded.status, stranded.started_at, stranded.worker_ids) == ("READY", None, ["w1"])
    assert DBTaskResult.objects.ready().filter(pk=stranded.pk).exists()
    running.refresh_from_db()
    done.refresh_from_db()
    assert running.status == "RUNNING"
    assert done.status == "SUCCESSFUL"
    assert services.requeue_stranded_tasks(older_than=dt.timedelta(hours=6)) == 0


def test_the_requeue_sweep_is_a_periodic_run() -> None:
    from yaojian.clocks.schedule import registered

    assert "jobs.requeue_stranded_tasks" in {p.name for p in registered()}

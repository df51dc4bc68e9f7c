"""Uploads ingested as a job: queued, progress, bad files, rejected rows kept, killed worker."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.roles import Role
from yaojian.jobs.choices import JobStatus
from yaojian.jobs.models import Job
from yaojian.jobs.services import begin_job, fail_stale_jobs
from yaojian.traceability import services
from yaojian.traceability.choices import BatchStatus
from yaojian.traceability.models import Alert, IngestBatch
from yaojian.traceability.tasks import ingest_batch_task
from yaojian.traceability.tests.helpers import CLINIC, CODE, Events

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def trace_store(settings: Any, tmp_path: Path) -> Path:
    settings.TRACE_STORE_DIR = tmp_path / "store"
    settings.VAR_DIR = tmp_path / "var"
    return tmp_path


@pytest.fixture
def insurer(user_in_department: Any) -> Any:
    return user_in_department(
        role=Role.INSPECTOR, region="540102", kind=DepartmentKind.MEDICAL_INSURANCE
    )


def _events() -> Events:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    e.add("dispense", "2026-03-09T09:00:00+08:00", CLINIC, insured="p2", settlement="s2")
    return e


def _csv_bytes(e: Events) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return (e.write(Path(tmp)) / "events.csv").read_bytes()


def _upload(client: Any, user: Any, *files: tuple[str, bytes]) -> Any:
    client.force_login(user)
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/trace/batches/", {"files": uploads})


def _stored_event_ids() -> list[str]:
    store = services.store()
    con = __import__("duckdb").connect()
    if not store.has_events():
        return []
    return [r[0] for r in con.execute(f"SELECT event_id FROM {store.history_source()}").fetchall()]


def test_an_upload_is_queued_as_a_job_and_the_worker_ingests_it(
    trace_store: Path, client: Any, insurer: Any, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    response = _upload(client, insurer, ("events.csv", _csv_bytes(_events())))
    batch = IngestBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/trace/batches/{batch.public_id}/"
    # the request only saved the files and queued the job: nothing is in the store yet
    assert (batch.status, batch.job.status) == (BatchStatus.QUEUED, JobStatus.QUEUED)
    assert _stored_event_ids() == []
    assert DBTaskResult.objects.filter(task_path__endswith="ingest_batch_task").count() == 1
    page = client.get(f"/trace/batches/{batch.public_id}/")
    assert 'hx-trigger="every 1s"' in page.content.decode()  # the page follows the job

    ingest_batch_task.call(job_id=batch.job_id)  # what the worker runs
    batch.refresh_from_db()
    job = batch.job
    assert job is not None
    job.refresh_from_db()
    assert (batch.status, batch.accepted, batch.rejected) == (BatchStatus.DONE, 7, 0)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["stored"] == 7
    assert len(_stored_event_ids()) == 7
    assert Alert.objects.filter(rule="R1", party_uscc=CLINIC).count() == 1
    poll = client.get(f"/trace/batches/{batch.public_id}/", headers={"HX-Request": "true"})
    assert poll.status_code == 286  # finished: htmx stops polling


def test_the_same_files_again_start_no_second_job(
    trace_store: Path, client: Any, insurer: Any
) -> None:
    data = _csv_bytes(_events())
    _upload(client, insurer, ("events.csv", data))
    _upload(client, insurer, ("events.csv", data))
    assert IngestBatch.objects.count() == 1
    assert Job.objects.filter(kind=services.INGEST_JOB_KIND).count() == 1


def test_only_insurance_and_regulators_may_upload(
    trace_store: Path, client: Any, user_in_department: Any
) -> None:
    outsider = user_in_department(kind=DepartmentKind.HEALTH_COMMISSION)
    _upload(client, outsider, ("events.csv", _csv_bytes(_events())))
    assert not IngestBatch.objects.exists()
    assert client.get("/trace/batches/").status_code == 200


def test_bad_files_are_refused_with_reasons_and_bad_rows_are_kept(
    trace_store: Path, client: Any, insurer: Any
) -> None:
    good = _events()
    good.add(
        "dispense",
        "2026-03-03T09:00:00+08:00",
        CLINIC,
        insured="p3",
        settlement="s3",
        code="6901234567892",  # an EAN-13 product code, not a pack
    )
    good.add("dispense", "2026-03-03T10:00:00", CLINIC, insured="p3", settlement="s4")
    text = _csv_bytes(good).decode("utf-8")
    truncated = text + "ev-cut,8123456789012345"  # the file stops inside a row
    gb_rows = _events()
    gb_rows.rows[0]["product_code"] = "国药准字H20051234"
    gb = _csv_bytes(gb_rows).decode("utf-8").encode("gb18030")
    wrong = b"id,code,when\n1,81234567890123456789,2026-03-01T08:00:00+08:00\n"
    _upload(
        client,
        insurer,
        ("a.csv", truncated.encode("utf-8")),
        ("b.csv", gb),
        ("c.csv", wrong),
        ("d.parquet", b"PAR1 not really"),
    )
    batch = IngestBatch.objects.get()
    assert batch.status == BatchStatus.DONE
    assert (batch.accepted, batch.rejected) == (7, 3)
    codes = {f["file"]: f["code"] for f in batch.refused_files}
    assert codes == {
        "b.csv": "encoding_gb18030",
        "c.csv": "column_missing",
        "d.parquet": "file_unreadable",
    }
    # the rejected rows are kept as sent, with reason codes and Chinese reasons
    with Path(batch.rejected_file).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {r["reason_codes"]: r for r in rows}
    assert set(by_code) == {"code_ean13", "occurred_at_without_offset", "row_too_few_columns"}
    assert by_code["code_ean13"]["trace_code"] == "6901234567892"
    assert by_code["code_ean13"]["insured_id"] == "p3"
    assert "商品码" in by_code["code_ean13"]["reasons"]
    assert "截断" in by_code["row_too_few_columns"]["reasons"]
    assert by_code["row_too_few_columns"]["raw_line"] == "ev-cut,8123456789012345"
    # the page gives the reasons in the reader's language
    zh = client.get(f"/trace/batches/{batch.public_id}/").content.decode()
    assert "GB18030" in zh
    assert "UTF-8" in zh
    assert "未导入" in zh
    assert "时区" in zh
    client.cookies["django_language"] = "en"
    en = client.get(f"/trace/batches/{batch.public_id}/").content.decode()
    assert "b.csv is encoded in GB18030/GBK; the format requires UTF-8" in en
    assert "c.csv has no column “event_id”" in en
    assert "fewer columns than the header" in en
    download = client.get(f"/trace/batches/{batch.public_id}/rejected.csv")
    assert download.status_code == 200
    assert b"row_too_few_columns" in b"".join(download.streaming_content)


def test_a_batch_whose_worker_died_is_ingested_again_exactly_once(
    trace_store: Path, client: Any, insurer: Any, settings: Any
) -> None:
    settings.TASKS = DB_TASKS
    _upload(client, insurer, ("events.csv", _csv_bytes(_events())))
    batch = IngestBatch.objects.get()
    # The worker took the job and wrote the events to the store, then was killed before it
    # could record the batch: the store holds the batch's files, the batch and job say running.
    job = begin_job(batch.job_id)
    IngestBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    services.store().ingest(Path(batch.folder), batch_key=services._safe_key(batch.idempotency_key))
    assert len(_stored_event_ids()) == 7
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(hours=2))
    assert fail_stale_jobs(older_than=dt.timedelta(hours=1)) == 1
    batch.refresh_from_db()
    assert services.batch_can_retry(batch)

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(insurer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/trace/batches/{batch.public_id}/")
    batch.refresh_from_db()
    assert (batch.status, batch.accepted, batch.duplicates) == (BatchStatus.DONE, 7, 0)
    ids = _stored_event_ids()
    assert len(ids) == len(set(ids)) == 7
    assert services.store().code_state(CODE)["settlements"] == 2  # type: ignore[index]
    assert Alert.objects.filter(rule="R1", party_uscc=CLINIC).count() == 1
    assert not services.batch_can_retry(batch)

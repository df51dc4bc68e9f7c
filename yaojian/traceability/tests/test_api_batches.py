"""POST /api/v1/trace/batches/: the files are saved and ingested by a job (202, status URL);
the same idempotency key returns the same batch, never a second one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.roles import Role
from yaojian.jobs.choices import JobStatus
from yaojian.jobs.models import Job
from yaojian.traceability import services
from yaojian.traceability.choices import BatchStatus
from yaojian.traceability.models import IngestBatch
from yaojian.traceability.tasks import ingest_batch_task
from yaojian.traceability.tests.test_ingest_job import (
    DB_TASKS,
    _csv_bytes,
    _events,
    _stored_event_ids,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trace_store(settings: Any, tmp_path: Path) -> Path:
    settings.TRACE_STORE_DIR = tmp_path / "store"
    settings.VAR_DIR = tmp_path / "var"
    settings.TASKS = DB_TASKS  # queued, as for the real worker
    return tmp_path


@pytest.fixture
def api(api_client_for: Any, user_in_department: Any) -> Any:
    user = user_in_department(
        role=Role.INSPECTOR, region="540102", kind=DepartmentKind.MEDICAL_INSURANCE
    )
    return api_client_for(user)


def _post(api: Any, key: str | None, *files: tuple[str, bytes]) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return api.post(
            "/api/v1/trace/batches/", {"files": uploads}, format="multipart", headers=headers
        )


def test_a_batch_is_queued_as_a_job_and_followed_at_its_status_url(
    trace_store: Path, api: Any
) -> None:
    data = _csv_bytes(_events())
    response = _post(api, "day-2026-03-09", ("events.csv", data))
    assert response.status_code == 202
    body = response.json()
    batch = IngestBatch.objects.get()
    assert body["id"] == str(batch.public_id)
    assert body["status"] == BatchStatus.QUEUED
    assert body["status_url"] == f"/api/v1/trace/batches/{batch.public_id}/"
    assert body["job"] == str(batch.job.public_id)  # type: ignore[union-attr]
    assert body["job_url"] == f"/jobs/{batch.job.public_id}/"  # type: ignore[union-attr]
    assert (batch.source, batch.idempotency_key) == ("api", "day-2026-03-09")
    assert _stored_event_ids() == []  # the request ingested nothing

    ingest_batch_task.call(job_id=batch.job_id)  # what the worker runs
    status = api.get(body["status_url"]).json()
    assert (status["status"], status["job_status"]) == (BatchStatus.DONE, JobStatus.SUCCEEDED)
    assert (status["stored"], status["rejected"], status["rows"]) == (7, 0, 7)
    assert len(_stored_event_ids()) == 7

    # the same key again: the same batch, 200, nothing queued, nothing ingested twice
    again = _post(api, "day-2026-03-09", ("events.csv", data))
    assert again.status_code == 200
    assert again.json()["id"] == str(batch.public_id)
    assert IngestBatch.objects.count() == 1
    assert Job.objects.filter(kind=services.INGEST_JOB_KIND).count() == 1
    assert len(_stored_event_ids()) == 7
    assert len(list((trace_store / "var" / "trace-uploads").iterdir())) == 1  # no orphan folder


def test_the_same_key_while_queued_answers_the_same_batch(trace_store: Path, api: Any) -> None:
    data = _csv_bytes(_events())
    first = _post(api, "k1", ("events.csv", data))
    second = _post(api, "k1", ("other.csv", data))
    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json()["id"] == second.json()["id"]
    assert IngestBatch.objects.count() == 1
    assert Job.objects.filter(kind=services.INGEST_JOB_KIND).count() == 1


def test_bad_requests_are_refused_in_words(
    trace_store: Path, api: Any, api_client_for: Any, user_in_department: Any
) -> None:
    data = _csv_bytes(_events())
    no_key = _post(api, None, ("events.csv", data))
    assert no_key.status_code == 400
    assert "idempotency_key" in no_key.json()["errors"]
    no_files = _post(api, "k2", ("notes.txt", b"hello"))
    assert no_files.status_code == 400
    assert "files" in no_files.json()["errors"]
    outsider = api_client_for(user_in_department(kind=DepartmentKind.HEALTH_COMMISSION))
    assert _post(outsider, "k3", ("events.csv", data)).status_code == 403
    assert not IngestBatch.objects.exists()
    assert api.get("/api/v1/trace/batches/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_key_raced_by_another_request_answers_that_requests_batch(
    trace_store: Path, api: Any
) -> None:
    """Two requests with one key at the same moment: both looked, saw no batch, and the second
    to insert loses on the unique key; it answers the first one's batch (never two)."""
    from unittest import mock

    data = _csv_bytes(_events())
    first = _post(api, "raced", ("events.csv", data))
    manager = mock.Mock()
    manager.filter.return_value.first.return_value = None  # "no batch yet", as it looked
    with (
        mock.patch.object(IngestBatch.objects, "select_for_update", return_value=manager),
        mock.patch.object(IngestBatch.objects, "filter", return_value=manager.filter()),
    ):
        second = _post(api, "raced", ("events.csv", data))
    assert second.json()["id"] == first.json()["id"]
    assert IngestBatch.objects.count() == 1
    assert Job.objects.filter(kind=services.INGEST_JOB_KIND).count() == 1

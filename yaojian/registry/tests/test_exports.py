"""CSV export as a job: started from the search page, run by the task, read back from disk."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.jobs.choices import JobStatus
from yaojian.jobs.models import Job
from yaojian.registry import exports
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory

pytestmark = pytest.mark.django_db


def read_csv(job: Job, encoding: str) -> list[list[str]]:
    data = (Path(settings.MEDIA_ROOT) / job.result_file).read_bytes()
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


@pytest.fixture
def formula_entity(drug_regulator):
    entity = EntityFactory(
        name='=HYPERLINK("http://evil")药房',
        address="+1 拉萨",
        legal_representative="@SUM(A1)",
        registered_by=drug_regulator,
    )
    LicenceFactory(entity=entity, issued_by=drug_regulator)
    return entity


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_export_from_the_search_page(
    client, steward, formula_entity, drug_regulator, encoding, django_capture_on_commit_callbacks
):
    # given: one entity elsewhere, out of the steward's jurisdiction
    EntityFactory(region_id="540202", name="日喀则药房")
    client.force_login(steward)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registry:entity_export"), {"q": "药房", "encoding": encoding}
        )
    # then
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_detail", kwargs={"public_id": job.public_id})
    assert job.owner == steward
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"rows": 1, "encoding": encoding}
    assert job.result_file.startswith("exports/entities-")
    assert job.parameters["q"] == "药房"
    rows = read_csv(job, encoding)
    assert len(rows) == 2
    assert rows[1][0] == '\'=HYPERLINK("http://evil")药房'
    assert rows[1][1] == formula_entity.unified_social_credit_code
    assert rows[1][6] == "'+1 拉萨"
    assert rows[1][7] == "'@SUM(A1)"
    assert formula_entity.licences.get().number in rows[1][10]
    assert (job.done, job.total) == (1, 1)


def test_utf8_export_starts_with_a_byte_order_mark(
    client, steward, entity, django_capture_on_commit_callbacks
):
    client.force_login(steward)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:entity_export"), {"encoding": "utf-8-sig"})
    job = Job.objects.get()
    data = (Path(settings.MEDIA_ROOT) / job.result_file).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert entity.name.encode("utf-8") in data


def test_gb18030_export_is_not_utf8(client, steward, entity, django_capture_on_commit_callbacks):
    client.force_login(steward)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:entity_export"), {"encoding": "gb18030"})
    data = (Path(settings.MEDIA_ROOT) / Job.objects.get().result_file).read_bytes()
    assert entity.name.encode("gb18030") in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_export_header_follows_the_users_language(
    client, steward, entity, django_capture_on_commit_callbacks
):
    client.force_login(steward)
    client.cookies["django_language"] = "en"  # as the language switch sets it
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:entity_export"), {"encoding": "utf-8-sig"})
    header = read_csv(Job.objects.get(), "utf-8-sig")[0]
    assert header[:3] == ["Name", "Unified social credit code", "Kind"]


def test_export_reports_progress_every_thousand_rows(steward, drug_regulator, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    EntityFactory.create_batch(5, registered_by=drug_regulator)
    job = exports.start_entity_export(actor=steward, filters={}, encoding="utf-8-sig")
    with CaptureQueriesContext(connection) as queries:
        exports.write_entity_export(job)
    progress = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "jobs_job"')
    ]
    # the total first, then after rows 2 and 4, then the final count
    assert len(progress) == 4
    assert (job.done, job.total) == (5, 5)


def test_export_with_bad_encoding_answers_422(client, steward):
    client.force_login(steward)
    response = client.post(reverse("registry:entity_export"), {"encoding": "latin-1"})
    assert response.status_code == 422
    assert Job.objects.count() == 0


def test_export_needs_post(client, steward):
    client.force_login(steward)
    assert client.get(reverse("registry:entity_export")).status_code == 405


def test_export_contains_only_what_the_owner_sees(user_in_department, entity):
    far = user_in_department(role=Role.INSPECTOR, region="540202")
    job = exports.start_entity_export(actor=far, filters={}, encoding="utf-8-sig")
    result, path = exports.write_entity_export(job)
    assert result == {"rows": 0, "encoding": "utf-8-sig"}
    assert len(read_csv(Job(result_file=path), "utf-8-sig")) == 1


def test_starting_an_export_is_audited(steward):
    job = exports.start_entity_export(
        actor=steward, filters={"kind": "hospital"}, encoding="gb18030"
    )
    assert job.parameters == {
        "q": "",
        "region": "",
        "kind": "hospital",
        "licence_status": "",
        "encoding": "gb18030",
        "language": "zh-hans",
    }
    assert AuditEvent.objects.filter(action="jobs.job_started").count() == 1


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+86 139", "'+86 139"),
        ("-5", "'-5"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("药房=1", "药房=1"),
        (None, ""),
    ],
)
def test_neutralise(value, cell):
    assert exports.neutralise(value) == cell

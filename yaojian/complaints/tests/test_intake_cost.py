"""The public intake's cost per submission: a fixed number of queries whatever the history
(no query per earlier submission, per route step or per hand-off), and the hand-offs (notices,
webhooks) only queued in the request — one outbox row each, delivered after the commit."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yaojian.complaints.models import Complaint, ThrottleHit
from yaojian.complaints.tests.test_views import _form, _solve
from yaojian.outbox.models import Message
from yaojian.webhooks.models import Delivery
from yaojian.webhooks.tests.factories import EndpointFactory

# Measured 12 (14 on the first request of a process: the holiday calendar); 14 before the
# complaint's INSERT stopped taking a SAVEPOINT/RELEASE pair (ON CONFLICT DO NOTHING, ADR
# 0040), 16 before the audit event stopped taking one inside the caller's transaction, 22
# before 2026-12-03: the county list is no longer read on a valid POST, the two rate limits
# are one count of the submissions themselves (no ThrottleHit rows), routing reads the
# offices once. PostgreSQL takes one more: the audit chain's advisory lock. (Served with the
# database task queue, one more: the queue row of the event's hand-offs.)
STEADY = 12 + (connection.vendor == "postgresql")
BUDGET = STEADY + 2


def test_public_submission_runs_a_bounded_number_of_queries(world: Any) -> None:
    EndpointFactory(department=world.county)
    client = Client()
    url = reverse("portal:complaint_new", args=["report"])
    counts = []
    for n in range(4):
        html = client.get(url).content.decode()
        summary = f"第{n}件：药店回收医保药品再销售，编号{n * 7919}。"
        data = {**_form(summary=summary, phone=f"1380000{n:04d}"), **_solve(html)}
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data)
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
        outbox_inserts = [
            q
            for q in queries.captured_queries
            if "INSERT INTO" in q["sql"] and "outbox_message" in q["sql"]
        ]
        assert len(outbox_inserts) == 1  # the event's hand-offs in one statement
    assert max(counts) <= BUDGET, counts
    assert counts[1:] == [STEADY] * 3, counts  # no growth with earlier submissions
    assert Complaint.objects.count() == 4
    assert Message.objects.filter(status="pending").count() == 8  # 2 hand-offs per submission
    assert not Delivery.objects.exists()  # the webhook is not sent in the request
    assert not ThrottleHit.objects.exists()  # the limits count the submissions themselves


def test_public_submission_writes_its_queue_rows_in_its_own_transaction(
    world: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """With the task queue in the database (production), the deliveries of the hand-offs are
    queued inside the submission's transaction: nothing is left to write after its commit (on
    SQLite a second turn of the write lock, on PostgreSQL a second commit)."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "yaojian.core.task_queue.DatabaseBackend", "QUEUES": ["default"]}
    }
    client = Client()
    url = reverse("portal:complaint_new", args=["report"])
    html = client.get(url).content.decode()
    data = {**_form(summary="药店回收医保药品再销售。"), **_solve(html)}
    with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as q:
        response = client.post(url, data)
    assert response.status_code == 200
    assert callbacks == []
    # The queue row in one INSERT … RETURNING of core.inserts, not the ORM's (ADR 0041).
    (queue_insert,) = [x["sql"] for x in q.captured_queries if "dbtaskresult" in x["sql"]]
    assert queue_insert.startswith("INSERT INTO")
    assert "RETURNING" in queue_insert
    # One queue row delivers the event's two hand-offs (each claimed and run on its own).
    tasks = list(DBTaskResult.objects.all())
    assert [t.task_path for t in tasks] == ["yaojian.outbox.tasks.deliver_messages_task"]
    queued = tasks[0].args_kwargs["kwargs"]["message_ids"]
    assert sorted(queued) == sorted(Message.objects.values_list("pk", flat=True))
    assert len(queued) == 2

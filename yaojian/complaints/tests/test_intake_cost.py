"""The public intake's cost per submission: a fixed, small number of queries (no query per
candidate duplicate, per route step or per hand-off) and no synchronous hand-off work in the
request: the handlers (notices, webhooks, risk) run from the outbox after the commit."""

from __future__ import annotations

import re
import time
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yaojian.complaints.models import Complaint
from yaojian.complaints.tests.test_views import _form, _solve


def test_public_submission_runs_a_bounded_number_of_queries(world: Any) -> None:
    client = Client(enforce_csrf_checks=False)
    url = reverse("portal:complaint_new", args=["report"])
    for n in range(3):
        html = client.get(url).content.decode()
        data = {**_form(summary=f"第{n}件：药店回收医保药品再销售，编号{n * 7919}。", phone=f"1380000{n:04d}"), **_solve(html)}
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post(url, data)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.content.decode()[:500]
        for q in queries.captured_queries:
            print(q["time"], re.sub(r"\s+", " ", q["sql"])[:200])
        print("TOTAL", len(queries.captured_queries), round(elapsed * 1000), "ms")
    assert Complaint.objects.count() == 3

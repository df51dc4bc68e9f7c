"""Whistle-blower protection: the reporter's identity and contact never leave
``ReporterIdentity`` — not in any other table (cases, PDFs' records, notices, outbox,
webhooks, audit), nor in any page, export, API answer or PDF — except the audited view of the
handling officers of the handling department."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from yaojian.audit.models import AuditEvent
from yaojian.complaints.models import ReporterIdentity
from yaojian.complaints.tests.conftest import (
    SECRET_EMAIL,
    SECRET_NAME,
    SECRET_PHONE,
    report_to_closed_case,
)
from yaojian.documents.models import Document
from yaojian.webhooks.models import Delivery
from yaojian.webhooks.tests.factories import EndpointFactory

SECRETS = (SECRET_NAME, SECRET_PHONE, SECRET_EMAIL, "13912345678"[:7] + "5678")
SKIP_TABLES = {ReporterIdentity}


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def closed_report(world: Any, with_documents: None, django_capture_on_commit_callbacks: Any) -> Any:
    EndpointFactory(department=world.county)
    EndpointFactory(department=world.insurance)
    with django_capture_on_commit_callbacks(execute=True):
        complaint, code = report_to_closed_case(world)
    complaint.refresh_from_db()
    return complaint, code


def test_identity_is_in_no_other_table(closed_report: Any) -> None:
    _complaint, _code = closed_report
    assert Delivery.objects.filter(event_type="complaint.received").exists()
    for model in apps.get_models():
        if model in SKIP_TABLES or model._meta.app_label in ("sessions",):
            continue
        dump = str(list(model.objects.values()))
        assert _leaks(dump) == [], model._meta.label


def test_identity_is_in_no_pdf(closed_report: Any) -> None:
    _complaint, _code = closed_report
    documents = Document.objects.all()
    assert documents.count() >= 2
    for document in documents:
        with document.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        text = "".join(page.extract_text() or "" for page in reader.pages).replace("\x00", "")
        assert _leaks("".join(text.split())) == [], document.kind


def test_identity_is_on_no_page_export_or_api_answer(world: Any, closed_report: Any) -> None:
    complaint, code = closed_report
    case = complaint.case
    urls = [
        reverse("complaints:list"),
        reverse("complaints:export"),
        reverse("complaints:detail", args=[complaint.public_id]),
        reverse("complaints:case_panel", args=[case.public_id]),
        reverse("enforcement:case_detail", args=[case.public_id]),
        "/api/v1/complaints/",
        f"/api/v1/complaints/{complaint.public_id}/",
        f"/api/v1/cases/{case.public_id}/",
        reverse("notices:inbox"),
    ]
    for user in (
        world.officer,
        world.head,
        world.inspector,
        world.city_head,
        world.leader,
        world.auditor,
        world.insurance_officer,
    ):
        client = _client(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 403, 404), (url, response.status_code)
            body = response.content.decode("utf-8", "replace")
            assert _leaks(body) == [], (user.username, url)
    public = Client().post(
        reverse("portal:complaint_track"), {"number": complaint.number, "code": code}
    )
    assert public.status_code == 200
    assert complaint.number in public.content.decode()
    assert _leaks(public.content.decode()) == []
    outcomes = Client().get(reverse("portal:complaint_outcomes"))
    assert _leaks(outcomes.content.decode()) == []


def test_only_handling_officers_see_the_identity_and_every_view_is_audited(
    world: Any, closed_report: Any
) -> None:
    complaint, _code = closed_report
    url = reverse("complaints:reporter", args=[complaint.public_id])
    views = AuditEvent.objects.filter(action="complaints.reporter_viewed")
    for user in (
        world.inspector,
        world.city_head,
        world.leader,
        world.auditor,
        world.other_officer,
        world.insurance_officer,
        world.reviewer,
    ):
        response = _client(user).get(url)
        assert response.status_code in (403, 404), user.username
        assert _leaks(response.content.decode()) == []
    assert views.count() == 0
    for user in (world.officer, world.head):
        response = _client(user).get(url)
        assert response.status_code == 200
        assert SECRET_NAME in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"
    assert list(views.values_list("actor_id", flat=True)) == [world.officer.pk, world.head.pk]
    assert all(_leaks(str(e.changes)) == [] for e in views)

"""Pages and API of the exchange app: upload, batch, report, template, panel, alerts, records."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.exchange.models import DataQualityAlert, ImportBatch
from yaojian.exchange.tests.factories import LICENCE_HEADERS, licence_row, xlsx_bytes
from yaojian.registry.models import Entity

pytestmark = pytest.mark.django_db


def _upload(client: Any, data: bytes, django_capture_on_commit_callbacks: Any) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("exchange:upload"),
            {"kind": "licence_register", "file": SimpleUploadedFile("l.xlsx", data)},
        )


def test_upload_page_imports_and_batch_page_shows_counts(
    client: Any, steward: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(steward)
    rows = [licence_row(1), licence_row(2, region="999999")]
    response = _upload(
        client, xlsx_bytes(LICENCE_HEADERS, rows), django_capture_on_commit_callbacks
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exchange:batch_detail", args=[batch.public_id])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'data-testid="count-accepted">1<' in page.content
    assert b'data-line="3"' in page.content
    partial = client.get(response["Location"], headers={"HX-Request": "true"})
    assert partial.status_code == 286
    assert b"<html" not in partial.content
    report = client.get(reverse("exchange:error_report", args=[batch.public_id]))
    assert report.status_code == 200
    assert AuditEvent.objects.filter(action="exchange.error_report_downloaded").count() == 1


def test_upload_of_an_unreadable_file_answers_422(
    client: Any, steward: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(steward)
    response = _upload(client, b"\x00garbage", django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert ImportBatch.objects.count() == 0


def test_inspector_may_not_upload_and_others_batches_are_404(
    client: Any, steward: Any, user_in_department: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(steward)
    _upload(
        client, xlsx_bytes(LICENCE_HEADERS, [licence_row(1)]), django_capture_on_commit_callbacks
    )
    batch = ImportBatch.objects.get()
    inspector = user_in_department(role=Role.INSPECTOR)
    client.force_login(inspector)
    assert client.get(reverse("exchange:upload")).status_code == 403
    assert client.get(reverse("exchange:batch_detail", args=[batch.public_id])).status_code == 404
    other = user_in_department(role=Role.DATA_STEWARD)
    client.force_login(other)
    assert client.get(reverse("exchange:batch_detail", args=[batch.public_id])).status_code == 404


def test_template_has_chinese_headers_rules_and_a_frozen_header(client: Any, steward: Any) -> None:
    import io

    from openpyxl import load_workbook

    client.force_login(steward)
    response = client.get(reverse("exchange:template", args=["licence_register"]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["数据"]
    assert [c.value for c in sheet[1]][:3] == ["企业名称*", "统一社会信用代码", "企业类型*"]
    assert sheet.freeze_panes == "A2"
    assert workbook.sheetnames == ["数据", "可选值", "填写说明"]
    assert client.get("/exchange/templates/nope.xlsx").status_code == 404


def test_profile_panel_shows_provenance_per_department(
    client: Any, steward: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(steward)
    _upload(
        client, xlsx_bytes(LICENCE_HEADERS, [licence_row(1)]), django_capture_on_commit_callbacks
    )
    entity = Entity.objects.get()
    batch = ImportBatch.objects.get()
    response = client.get(reverse("exchange:entity_sources", args=[entity.public_id]))
    assert response.status_code == 200
    assert (
        f'data-field="legal_representative" data-batch="{batch.public_id}"'.encode()
        in response.content
    )
    # Fields and coded values in words, never the internal codes.

    body = response.content.decode()
    visible = body.replace('data-field="', "").split("<tbody>")[1]
    import re

    cells = re.findall(r"<td>([^<]*)</td>", visible)
    assert "法定代表人" in cells
    assert "单体药店" in cells
    assert "legal_representative" not in cells
    assert "single_pharmacy" not in cells
    assert any(c.startswith("药品经营许可证 ") and c.endswith(" · 许可证状态") for c in cells)
    assert "有效" in cells
    # the region by its name, its code in brackets
    assert any(c.endswith("（540102）") and len(c) > len("（540102）") for c in cells), cells
    assert "540102" not in cells


def test_revoked_licence_and_active_agreement_raise_an_alert(
    client: Any,
    steward: Any,
    insurance_steward: Any,
    api_client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(steward)
    row = licence_row(1)
    _upload(client, xlsx_bytes(LICENCE_HEADERS, [row]), django_capture_on_commit_callbacks)
    api = api_client_for(insurance_steward)
    record = {
        "idempotency_key": "yb-1",
        "entity_name": row[0],
        "unified_social_credit_code": row[1],
        "agreement_number": "YB540102-2025-001",
        "agreement_status": "有效",
        "start_date": "2025-01-01",
        "region_code": "540102",
        "legal_representative": "次仁",
    }
    first = api.post("/api/v1/exchange/insurance_designations/records/", [record], format="json")
    assert first.status_code == 200
    assert first.json()[0]["outcome"] == "accepted"
    alert = DataQualityAlert.objects.get()
    assert alert.kind == "legal_representative_mismatch"
    replay = api.post(
        "/api/v1/exchange/insurance_designations/records/",
        [{**record, "agreement_status": "中止"}],
        format="json",
    )
    assert replay.json() == first.json()
    _upload(
        client,
        xlsx_bytes(LICENCE_HEADERS, [licence_row(1, status="revoked", legal="次仁")]),
        django_capture_on_commit_callbacks,
    )
    kinds = set(DataQualityAlert.objects.exclude(status="resolved").values_list("kind", flat=True))
    assert kinds == {"revoked_but_insured"}
    client.force_login(insurance_steward)
    page = client.get(reverse("exchange:alert_list"))
    assert page.status_code == 200
    assert b'data-kind="revoked_but_insured"' in page.content
    alert = DataQualityAlert.objects.get(kind="revoked_but_insured")
    response = client.post(
        reverse("exchange:alert_transition", args=[alert.public_id]), {"to_status": "acknowledged"}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "acknowledged"


def test_api_records_reject_bad_rows_with_reasons(
    insurance_steward: Any, api_client_for: Any
) -> None:
    api = api_client_for(insurance_steward)
    response = api.post(
        "/api/v1/exchange/insurance_designations/records/",
        [
            {
                "idempotency_key": "k",
                "entity_name": "甲",
                "agreement_number": "A-1",
                "agreement_status": "maybe",
                "start_date": "2025-01-01",
                "region_code": "540102",
            }
        ],
        format="json",
    )
    assert response.status_code == 200
    assert response.json()[0]["outcome"] == "rejected"
    assert response.json()[0]["reasons"][0]["code"] == "invalid_choice"
    missing = api.post(
        "/api/v1/exchange/insurance_designations/records/", [{"entity_name": "甲"}], format="json"
    )
    assert missing.status_code == 400
    assert api_client_for(None).post(
        "/api/v1/exchange/insurance_designations/records/", [], format="json"
    ).status_code in (401, 403)


def test_api_file_upload_and_batch_status(
    steward: Any, api_client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api = api_client_for(steward)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/exchange/imports/",
            {
                "kind": "licence_register",
                "file": SimpleUploadedFile(
                    "l.xlsx",
                    xlsx_bytes(LICENCE_HEADERS, [licence_row(1), licence_row(2, region="x")]),
                ),
            },
            format="multipart",
        )
    assert response.status_code == 202
    batch_id = response.json()["id"]
    status = api.get(f"/api/v1/exchange/imports/{batch_id}/").json()
    assert (status["status"], status["accepted_count"], status["rejected_count"]) == (
        "applied",
        1,
        1,
    )
    rejected = api.get(f"/api/v1/exchange/imports/{batch_id}/rejected-rows/").json()
    assert rejected["results"][0]["line_number"] == 3
    template = api.get("/api/v1/exchange/templates/licence_register.xlsx")
    assert template.status_code == 200


def test_import_file_command(steward: Any, tmp_path: Any) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from yaojian.exchange.tests.conftest import department_of

    path = tmp_path / "l.xlsx"
    path.write_bytes(xlsx_bytes(LICENCE_HEADERS, [licence_row(1), licence_row(2, region="999999")]))
    out = StringIO()
    call_command(
        "import_file",
        "licence_register",
        str(path),
        "--department",
        department_of(steward).code,
        "--user",
        steward.username,
        stdout=out,
    )
    assert "accepted 1, rejected 1, unchanged 0" in out.getvalue()
    assert "error report:" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    with pytest.raises(CommandError):
        call_command(
            "import_file",
            "licence_register",
            str(bad),
            "--department",
            department_of(steward).code,
            stdout=StringIO(),
        )

"""The acceptance and refusal notices (受理/不予受理告知书): rendered as PDFs when a complaint is
accepted or refused, stored with their SHA-256, downloaded by the complainant with the query
code and by the handling officers, every download audited, never the complainant's identity."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from yaojian.audit.models import AuditEvent
from yaojian.complaints import services
from yaojian.complaints.choices import Kind, NoticeKind, RefusalGround, Topic
from yaojian.complaints.models import ComplaintNotice
from yaojian.complaints.tests.conftest import SECRET_NAME, SECRET_PHONE, receive


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() or "" for page in reader.pages).replace("\x00", "")
    return "".join(text.split())


def _complaint(**overrides: Any) -> Any:
    return receive(kind=Kind.COMPLAINT, topic=Topic.PRICE_SERVICE, **overrides)


def test_acceptance_notice_is_rendered_and_stored_with_its_hash(
    world: Any, with_documents: None
) -> None:
    receipt = _complaint()
    complaint = services.accept_complaint(actor=world.officer, complaint=receipt.complaint)
    notice = ComplaintNotice.objects.get(complaint=complaint)
    content = bytes(notice.content)
    assert notice.kind == NoticeKind.ACCEPTANCE
    assert notice.sha256 == hashlib.sha256(content).hexdigest()
    assert notice.size == len(content)
    text = _text(content)
    assert "投诉受理告知书" in text
    assert complaint.number in text
    assert "城关区市场监督管理局" in text
    assert "45个工作日" in text
    assert SECRET_NAME not in text
    assert SECRET_PHONE not in text
    assert AuditEvent.objects.filter(action="complaints.notice_issued").count() == 1


def test_refusal_notice_names_the_ground_and_reasons_escaped_as_text(
    world: Any, with_documents: None
) -> None:
    receipt = _complaint()
    complaint = services.refuse_complaint(
        actor=world.officer,
        complaint=receipt.complaint,
        ground=RefusalGround.OUTSIDE_REMIT,
        reasons="<script>alert(1)</script>属于价格主管部门职责",
    )
    notice = ComplaintNotice.objects.get(complaint=complaint)
    assert notice.kind == NoticeKind.REFUSAL
    text = _text(bytes(notice.content))
    assert "投诉不予受理告知书" in text
    assert "不属于本部门职责范围" in text
    assert "<script>alert(1)</script>属于价格主管部门职责" in text
    assert "第十五条" in text
    assert SECRET_NAME not in text


def test_complainant_downloads_the_notice_with_the_query_code(
    world: Any, with_documents: None
) -> None:
    receipt = _complaint()
    complaint = services.refuse_complaint(
        actor=world.officer,
        complaint=receipt.complaint,
        ground=RefusalGround.OUTSIDE_REMIT,
        reasons="不属于本局职责",
    )
    notice = ComplaintNotice.objects.get(complaint=complaint)
    page = Client().post(
        reverse("portal:complaint_track"),
        {"number": complaint.number, "code": receipt.query_code},
    )
    assert 'data-testid="track-notice-refusal"' in page.content.decode()
    url = reverse("portal:complaint_notice")
    ok = Client().post(
        url, {"number": complaint.number, "code": receipt.query_code, "notice": notice.public_id}
    )
    assert ok.status_code == 200
    assert ok["Content-Type"] == "application/pdf"
    assert ok["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(ok.content).hexdigest() == notice.sha256
    assert "投诉不予受理告知书" in _text(ok.content)
    wrong = Client().post(
        url, {"number": complaint.number, "code": "WRONGCODE1", "notice": notice.public_id}
    )
    other = _complaint(
        summary="另一件投诉：药店收费与标价不符，要求退还差价。", phone="13800000000"
    )
    foreign = Client().post(
        url,
        {"number": other.complaint.number, "code": other.query_code, "notice": notice.public_id},
    )
    assert wrong.status_code == foreign.status_code == 404
    assert wrong["Content-Type"].startswith("text/html")
    reads = AuditEvent.objects.filter(action="complaints.notice_downloaded")
    assert [e.changes["complainant"] for e in reads] == [True]


def test_handling_officers_download_the_notice_others_do_not(
    world: Any, with_documents: None
) -> None:
    receipt = _complaint()
    complaint = services.accept_complaint(actor=world.officer, complaint=receipt.complaint)
    notice = ComplaintNotice.objects.get(complaint=complaint)
    url = reverse("complaints:notice", args=[complaint.public_id, notice.public_id])
    detail = reverse("complaints:detail", args=[complaint.public_id])
    for user in (world.officer, world.officer2, world.head):
        client = Client()
        client.force_login(user)
        assert 'data-testid="notice-acceptance"' in client.get(detail).content.decode()
        response = client.get(url)
        assert response.status_code == 200, user.username
        assert hashlib.sha256(response.content).hexdigest() == notice.sha256
    for user in (world.inspector, world.leader, world.auditor, world.other_officer):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code in (403, 404), user.username
    reads = AuditEvent.objects.filter(action="complaints.notice_downloaded")
    assert sorted(reads.values_list("actor_id", flat=True)) == sorted(
        [world.officer.pk, world.officer2.pk, world.head.pk]
    )


def test_no_notice_while_documents_are_switched_off(world: Any) -> None:
    receipt = _complaint()
    services.accept_complaint(actor=world.officer, complaint=receipt.complaint)
    assert not ComplaintNotice.objects.exists()

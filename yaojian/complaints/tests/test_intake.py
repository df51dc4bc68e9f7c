"""Intake: the public path with its challenge, limits, duplicates and attachments; tracking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from yaojian.audit.models import AuditEvent
from yaojian.complaints import challenge, services
from yaojian.complaints.choices import Channel, Kind, State, Topic
from yaojian.complaints.models import Attachment, Complaint, ReporterIdentity
from yaojian.complaints.services import intake
from yaojian.complaints.tests.conftest import SECRET_PHONE, receive, submission
from yaojian.outbox.models import Message as OutboxMessage

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 64


def _solved() -> tuple[str, str]:
    q = challenge.new_challenge()
    digits = [
        int("".join(ch for ch in w if ch.isdigit()))
        for w in q.question.split()
        if any(ch.isdigit() for ch in w)
    ]
    return q.token, str(sum(digits))


def _public(address: str = "10.0.0.9", **overrides: Any) -> services.Receipt:
    token, answer = _solved()
    return services.submit_public(
        submission(**overrides),
        client_address=address,
        challenge_token=token,
        challenge_answer=answer,
    )


def test_public_submission_is_recorded_with_a_tracking_number_and_code(world: Any) -> None:
    receipt = _public()
    c = receipt.complaint
    assert c.channel == Channel.WEB
    assert c.number.startswith("J")
    assert len(c.number) == 15
    assert len(receipt.query_code) == 10
    assert receipt.query_code not in c.query_code_hash
    assert c.department == world.county
    assert c.state == State.RECEIVED
    assert ReporterIdentity.objects.get(complaint=c).phone == SECRET_PHONE
    found = services.find_for_tracking(c.number, receipt.query_code.lower(), client_address="x")
    assert found == c


def test_audit_event_of_a_public_submission_holds_no_address_or_identity(world: Any) -> None:
    c = _public(address="203.0.113.77").complaint
    event = AuditEvent.objects.get(
        action="complaints.complaint_received", object_id=str(c.public_id)
    )
    assert event.ip_address is None
    assert SECRET_PHONE not in str(event.changes)


def test_wrong_answer_is_refused_and_nothing_written(world: Any) -> None:
    q = challenge.new_challenge()
    before = (Complaint.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count())
    with pytest.raises(ValidationError) as info:
        services.submit_public(
            submission(), client_address="1.1.1.1", challenge_token=q.token, challenge_answer="-1"
        )
    assert "challenge_answer" in info.value.message_dict
    after = (Complaint.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count())
    assert after == before


def test_a_solved_challenge_submits_only_once(world: Any) -> None:
    token, answer = _solved()
    services.submit_public(
        submission(), client_address="1.1.1.2", challenge_token=token, challenge_answer=answer
    )
    with pytest.raises(ValidationError) as info:
        services.submit_public(
            submission(summary="另一件事情完全不同的内容描述"),
            client_address="1.1.1.2",
            challenge_token=token,
            challenge_answer=answer,
        )
    assert "challenge_answer" in info.value.message_dict
    assert Complaint.objects.count() == 1
    assert ReporterIdentity.objects.count() == 1
    assert AuditEvent.objects.filter(action="complaints.complaint_received").count() == 1
    assert OutboxMessage.objects.count() == 2  # the first submission's two hand-offs only


def test_a_taken_tracking_number_is_drawn_again_in_the_same_transaction(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _public().complaint
    drawn = iter([first.number, "J20260304999999"])
    monkeypatch.setattr(intake, "_next_number", lambda kind, on: next(drawn))
    second = _public(phone="13900009999", summary="另一件完全不同的事情，与前一件无关。").complaint
    assert second.number == "J20260304999999"
    assert Complaint.objects.get(pk=second.pk).number == "J20260304999999"
    assert ReporterIdentity.objects.count() == 2
    assert AuditEvent.objects.filter(action="complaints.complaint_received").count() == 2


def test_a_tracking_number_that_stays_taken_is_refused_and_nothing_written(world: Any) -> None:
    first = _public().complaint
    before = (
        Complaint.objects.count(),
        ReporterIdentity.objects.count(),
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
    )
    with pytest.raises(ValidationError):
        services.receive(
            submission(summary="另一件完全不同的事情，与前一件无关。", phone="13900008888"),
            actor=None,
            channel=Channel.WEB,
            number=first.number,
        )
    after = (
        Complaint.objects.count(),
        ReporterIdentity.objects.count(),
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
    )
    assert after == before


def test_flood_from_one_address_is_throttled_with_a_clear_message(world: Any) -> None:
    for n in range(5):
        _public(address="198.51.100.1", phone=f"1390000000{n}", summary=f"第{n}件不同的事情" * 3)
    with pytest.raises(services.ThrottledError) as info:
        _public(address="198.51.100.1", phone="13911110000", summary="又一件")
    assert "1小时" in str(info.value) or "一小时" in str(info.value) or "hour" in str(info.value)
    assert Complaint.objects.count() == 5
    _public(address="198.51.100.2", phone="13911110001", summary="别处提交的")
    assert Complaint.objects.count() == 6


def test_flood_from_one_contact_is_throttled(world: Any) -> None:
    for n in range(5):
        _public(address=f"192.0.2.{n}", summary=f"内容{n}" * 5, subject_name=f"药店{n}")
    with pytest.raises(services.ThrottledError):
        _public(address="192.0.2.99", summary="再来一次", subject_name="别的药店")


def test_same_reporter_same_subject_similar_text_is_linked_not_counted(world: Any) -> None:
    first = receive().complaint
    second = receive(summary=first.summary + "！", address="10.9.9.9")
    assert second.duplicate_of == first
    assert second.complaint.state == State.DUPLICATE
    assert second.complaint.duplicate_of == first
    from yaojian.complaints.selectors import public_figures

    assert sum(f.received for f in public_figures()) == 1


def test_different_text_or_subject_or_reporter_is_not_a_duplicate(world: Any) -> None:
    first = receive().complaint
    assert receive(summary="这家药店无证经营，卖的都是处方药，不需要处方。").duplicate_of is None
    assert receive(subject_name="另一家药店").duplicate_of is None
    assert receive(phone="13800000000", email="").duplicate_of is None
    assert Complaint.objects.filter(duplicate_of=first).count() == 0


def test_duplicate_window_is_configuration(world: Any, settings: Any) -> None:
    old = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
    receive(when=old)
    assert receive().duplicate_of is None  # well past 30 days
    settings.COMPLAINTS = {"duplicate_days": 3650}
    assert receive().duplicate_of is not None


def test_attachments_are_sniffed_by_content(world: Any) -> None:
    files = [
        SimpleUploadedFile("receipt.jpg", PNG, content_type="image/jpeg"),
        SimpleUploadedFile("invoice", PDF, content_type="application/octet-stream"),
    ]
    c = receive(files=files).complaint
    rows = list(Attachment.objects.filter(complaint=c).values_list("filename", "content_type"))
    assert rows == [("receipt.png", "image/png"), ("invoice.pdf", "application/pdf")]


def test_attachment_lying_about_its_type_is_refused_and_nothing_written(world: Any) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as info:
        receive(files=[fake])
    assert "attachments" in info.value.message_dict
    assert Complaint.objects.count() == 0
    assert ReporterIdentity.objects.count() == 0


def test_oversized_attachment_and_too_many_files_are_refused(world: Any, settings: Any) -> None:
    settings.COMPLAINTS = {"max_attachment_bytes": 100}
    with pytest.raises(ValidationError):
        receive(files=[SimpleUploadedFile("a.png", PNG + b"\x00" * 100)])
    with pytest.raises(ValidationError):
        receive(files=[SimpleUploadedFile(f"{n}.png", PNG) for n in range(4)])
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"summary": ""}, "summary"),
        ({"summary": "长" * 4001}, "summary"),
        ({"subject_name": ""}, "subject_name"),
        ({"region_code": ""}, "region_code"),
        ({"region_code": "999999"}, "region_code"),
        ({"name": ""}, "name"),
        ({"phone": "", "email": ""}, "phone"),
        ({"phone": "call me"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"topic": "nonsense"}, "topic"),
        ({"entity_public_id": "00000000-0000-0000-0000-000000000000"}, "entity"),
        ({"occurred_on": dt.date(2099, 1, 1)}, "occurred_on"),
    ],
)
def test_bad_input_is_refused_per_field(world: Any, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        receive(**overrides)
    assert field in info.value.message_dict
    assert Complaint.objects.count() == 0


def test_complaints_cannot_be_anonymous(world: Any) -> None:
    with pytest.raises(ValidationError) as info:
        receive(kind=Kind.COMPLAINT, topic=Topic.DRUG_QUALITY, is_anonymous=True, name="")
    assert "name" in info.value.message_dict


def test_anonymous_report_keeps_no_contact(world: Any) -> None:
    c = receive(is_anonymous=True).complaint
    identity = ReporterIdentity.objects.get(complaint=c)
    assert (identity.name, identity.phone, identity.email) == ("", "", "")
    assert c.contact_hash == ""


def test_chosen_entity_gives_name_and_region(world: Any) -> None:
    c = receive(entity_public_id=str(world.entity.public_id), subject_name="", region_code="")
    assert c.complaint.entity == world.entity
    assert c.complaint.subject_name == world.entity.name
    assert c.complaint.department == world.county


def test_wrong_code_answers_like_an_unknown_number(world: Any) -> None:
    receipt = receive()
    number = receipt.complaint.number
    assert services.find_for_tracking(number, "WRONGCODE1", client_address="a") is None
    assert (
        services.find_for_tracking("J20990101000000", receipt.query_code, client_address="a")
        is None
    )


def test_tracking_failures_are_throttled(world: Any, settings: Any) -> None:
    settings.COMPLAINTS = {"track_failures_per_hour": 2}
    receipt = receive()
    for _n in range(2):
        services.find_for_tracking("X", "Y", client_address="9.9.9.9")
    with pytest.raises(services.ThrottledError):
        services.find_for_tracking(
            receipt.complaint.number, receipt.query_code, client_address="9.9.9.9"
        )


def test_staff_intake_by_phone_and_from_another_department(world: Any) -> None:
    sub = submission(phone="", email="", kind=Kind.COMPLAINT, topic=Topic.PRICE_SERVICE)
    receipt = services.receive_by_staff(
        sub, actor=world.inspector, channel=Channel.PHONE, department=world.county
    )
    assert receipt.complaint.channel == Channel.PHONE
    with pytest.raises(ValidationError):
        services.receive_by_staff(
            submission(), actor=world.inspector, channel=Channel.DEPARTMENT, department=world.county
        )
    received = services.receive_by_staff(
        submission(summary="卫健委转来的举报线索内容"),
        actor=world.inspector,
        channel=Channel.DEPARTMENT,
        department=world.county,
        source_department=world.health,
        external_reference="WJ-2026-001",
    )
    assert received.complaint.source_department == world.health


def test_staff_intake_needs_the_permission(world: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.receive_by_staff(
            submission(), actor=world.leader, channel=Channel.PHONE, department=world.city
        )
    assert Complaint.objects.count() == 0

"""The inbox state machine, escalation with time controlled, personal data and send_notice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from yaojian.accounts.tests.factories import ShareGrantFactory
from yaojian.audit.models import AuditEvent
from yaojian.notices import services
from yaojian.notices.choices import NoticeEventKind, NoticeState
from yaojian.notices.models import Attachment, Notice, NoticeEvent


def _send(world, *, days=10):
    return services.send_notice(
        actor=world.inspector,
        sender_department=world.drug,
        recipient_departments=[world.insurance],
        subject="请核查医保结算",
        body="正文",
        due_working_days=days,
        source_app="enforcement",
        source_ref="case-1",
    )[0]


def _notice_actions():
    return list(
        AuditEvent.objects.filter(action__startswith="notices.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_full_life_of_a_notice(world):
    notice = _send(world)
    notice = services.view_notice(actor=world.insurance_officer, notice=notice)
    assert notice.state == NoticeState.READ
    notice = services.acknowledge_notice(actor=world.insurance_officer, notice=notice)
    upload = SimpleUploadedFile("核查结果.txt", "已核查".encode(), content_type="text/plain")
    notice = services.answer_notice(
        actor=world.insurance_officer,
        notice=notice,
        answer="已拒付 3,678 元。",
        attachments=[upload],
    )
    assert notice.state == NoticeState.ANSWERED
    assert notice.answered_by == world.insurance_officer
    assert Attachment.objects.get(notice=notice).name == "核查结果.txt"
    notice = services.close_notice(actor=world.inspector, notice=notice)
    assert notice.state == NoticeState.CLOSED
    kinds = list(notice.events.values_list("kind", flat=True))
    assert kinds == ["sent", "viewed", "acknowledged", "answered", "closed"]
    assert _notice_actions() == [
        "notices.notice_sent",
        "notices.notice_read",
        "notices.notice_acknowledged",
        "notices.notice_answered",
        "notices.notice_closed",
    ]


@pytest.mark.parametrize(
    ("state", "target"),
    [
        (NoticeState.UNREAD, NoticeState.ACKNOWLEDGED),
        (NoticeState.UNREAD, NoticeState.ANSWERED),
        (NoticeState.READ, NoticeState.ANSWERED),
        (NoticeState.ACKNOWLEDGED, NoticeState.CLOSED),
        (NoticeState.CLOSED, NoticeState.ANSWERED),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message(world, state, target):
    notice = _send(world)
    Notice.objects.filter(pk=notice.pk).update(state=state)
    actor = world.inspector if target == NoticeState.CLOSED else world.insurance_officer
    before = _notice_actions()
    with pytest.raises(ValidationError) as exc:
        services.transition_notice(actor=actor, notice=notice, to_state=target, answer="x")
    with translation.override("en"):
        assert exc.value.messages == [
            f"A notice that is “{NoticeState(state).label}” cannot become "
            f"“{NoticeState(target).label}”."
        ]
    notice.refresh_from_db()
    assert notice.state == state
    assert _notice_actions() == before


def test_answer_needs_text(world):
    notice = _send(world)
    Notice.objects.filter(pk=notice.pk).update(state=NoticeState.ACKNOWLEDGED)
    with pytest.raises(ValidationError) as exc:
        services.answer_notice(actor=world.insurance_officer, notice=notice, answer="  ")
    assert list(exc.value.message_dict) == ["answer"]
    notice.refresh_from_db()
    assert notice.state == NoticeState.ACKNOWLEDGED


@pytest.mark.parametrize("who", ["insurance_leader", "inspector", "stranger", "health_officer"])
def test_only_workers_of_the_recipient_act(world, who):
    notice = _send(world)
    with pytest.raises(PermissionDenied):
        services.transition_notice(
            actor=getattr(world, who), notice=notice, to_state=NoticeState.READ
        )
    notice.refresh_from_db()
    assert notice.state == NoticeState.UNREAD


def test_only_the_sender_closes(world):
    notice = _send(world)
    Notice.objects.filter(pk=notice.pk).update(state=NoticeState.ANSWERED)
    with pytest.raises(PermissionDenied):
        services.close_notice(actor=world.insurance_officer, notice=notice)


def test_viewing_by_the_sender_is_recorded_but_does_not_mark_read(world):
    notice = _send(world)
    services.view_notice(actor=world.inspector, notice=notice)
    notice.refresh_from_db()
    assert notice.state == NoticeState.UNREAD
    event = notice.events.get(kind=NoticeEventKind.VIEWED)
    assert (event.actor, event.department) == (world.inspector, world.drug)


def test_seen_is_recorded_once_per_person_not_on_every_page_load(world):
    notice = _send(world)
    for _load in range(3):
        services.view_notice(actor=world.insurance_officer, notice=notice)
    services.view_notice(actor=world.inspector, notice=notice)
    services.view_notice(actor=world.inspector, notice=notice)

    events = notice.events.filter(kind=NoticeEventKind.VIEWED).order_by("id")
    assert [e.actor for e in events] == [world.insurance_officer, world.inspector]
    assert AuditEvent.objects.filter(action="notices.notice_read").count() == 1


def test_send_notice_validates_and_writes_nothing(world):
    with pytest.raises(ValidationError) as exc:
        services.send_notice(
            actor=world.inspector,
            sender_department=world.drug,
            recipient_departments=[world.drug],
            subject="",
            body="",
            due_working_days=0,
        )
    assert set(exc.value.message_dict) == {"subject", "recipient_departments", "due_working_days"}
    assert Notice.objects.count() == 0


def test_send_notice_for_a_department_not_mine_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.send_notice(
            actor=world.inspector,
            sender_department=world.health,
            recipient_departments=[world.insurance],
            subject="x",
            body="",
        )


def test_system_sender_without_deadline(world):
    notices = services.send_notice(
        actor=None,
        sender_department=world.drug,
        recipient_departments=[world.insurance, world.health, world.insurance],
        subject="许可证已吊销",
        body="",
        source_app="registry",
    )
    assert sorted(n.recipient.code for n in notices) == ["HC-540102", "MI-540102"]
    assert {n.due_on for n in notices} == {None}


# --- escalation -------------------------------------------------------------------------------


def test_escalation_across_the_labour_day_holiday(world):
    with time_machine.travel(dt.datetime(2026, 4, 16, 9, tzinfo=dt.UTC)):
        notice = _send(world)  # Thursday; 10 working days → Thursday 30 April
    assert notice.due_on == dt.date(2026, 4, 30)

    # 1–5 May are holidays: not overdue by a single working day yet.
    for day in (dt.date(2026, 4, 30), dt.date(2026, 5, 1), dt.date(2026, 5, 5)):
        assert services.escalate_overdue_notices(today=day) == 0
    notice.refresh_from_db()
    assert notice.escalation_level == 0

    # Wednesday 6 May: level 1, the department head is told.
    assert services.escalate_overdue_notices(today=dt.date(2026, 5, 6)) == 1
    assert services.escalate_overdue_notices(today=dt.date(2026, 5, 6)) == 0  # idempotent
    notice.refresh_from_db()
    assert (notice.escalation_level, notice.escalated_on) == (1, dt.date(2026, 5, 6))
    event = notice.events.get(kind=NoticeEventKind.ESCALATED)
    assert str(world.insurance_head) in event.note

    # 3 more working days: 7, 8 May and Saturday 9 May (a make-up working day).
    assert services.escalate_overdue_notices(today=dt.date(2026, 5, 8)) == 0
    assert services.escalate_overdue_notices(today=dt.date(2026, 5, 9)) == 1
    notice.refresh_from_db()
    assert notice.escalation_level == 2
    upward = Notice.objects.get(escalated_from=notice)
    assert upward.recipient == world.insurance_city
    assert upward.sender == world.drug
    assert services.escalate_overdue_notices(today=dt.date(2026, 5, 20)) == 0
    assert AuditEvent.objects.filter(action="notices.notice_escalated").count() == 2


def test_answered_notices_do_not_escalate(world):
    with time_machine.travel(dt.datetime(2026, 4, 16, 9, tzinfo=dt.UTC)):
        notice = _send(world)
    Notice.objects.filter(pk=notice.pk).update(state=NoticeState.ANSWERED)
    assert services.escalate_overdue_notices(today=dt.date(2026, 6, 1)) == 0


def test_escalate_command(world, capsys):
    from django.core.management import call_command

    with time_machine.travel(dt.datetime(2026, 4, 16, 9, tzinfo=dt.UTC)):
        _send(world)
    with time_machine.travel(dt.datetime(2026, 5, 6, 9, tzinfo=dt.UTC)):
        call_command("escalate_notices")
    assert "1" in capsys.readouterr().out
    assert NoticeEvent.objects.filter(kind=NoticeEventKind.ESCALATED).count() == 1


# --- personal data ----------------------------------------------------------------------------

PERSONS = [
    {"role": "insured", "name": "卓玛", "id_number": "11010519491231002X", "phone": "13812345678"},
]


def _problem(world):
    return services.record_problem(
        actor=world.inspector,
        department=world.drug,
        category="insurance_fraud",
        description="回流药",
        entity=world.pharmacy,
        personal_data=PERSONS,
    )


def test_owner_reads_personal_data_audited(world):
    problem = _problem(world)
    rows = services.reveal_problem_personal_data(actor=world.inspector, problem=problem)
    assert rows[0]["id_number"] == "11010519491231002X"
    event = AuditEvent.objects.get(action="notices.personal_data_read")
    assert event.changes["cross_department"] is False


def test_recipient_without_share_grant_sees_masked_only(world):
    from yaojian.notices.selectors import masked_persons

    problem = _problem(world)
    with pytest.raises(PermissionDenied):
        services.reveal_problem_personal_data(actor=world.insurance_officer, problem=problem)
    masked = masked_persons(problem)[0]
    assert (masked.name, masked.id_number, masked.phone) == (
        "卓*",
        "110105********002X",
        "138****5678",
    )
    assert not AuditEvent.objects.filter(action="notices.personal_data_read").exists()


def test_share_grant_opens_personal_data_and_the_read_is_audited(world):
    problem = _problem(world)
    ShareGrantFactory(grantor=world.drug, grantee=world.insurance, data_kind="personal_data")
    rows = services.reveal_problem_personal_data(actor=world.insurance_officer, problem=problem)
    assert rows[0]["name"] == "卓玛"
    event = AuditEvent.objects.get(action="notices.personal_data_read")
    assert event.department_id == world.insurance.pk
    assert event.changes["cross_department"] is True


def test_stranger_cannot_even_see_the_problem(world):
    from yaojian.notices.models import Problem

    problem = _problem(world)
    with pytest.raises(Problem.DoesNotExist):
        services.reveal_problem_personal_data(actor=world.stranger, problem=problem)


def test_demo_seeding_makes_varied_states(world):
    import random

    from yaojian.notices.demo import seed_demo_notices
    from yaojian.registry.tests.factories import EntityFactory

    for _ in range(5):
        EntityFactory(region_id="540102", registered_by=world.drug)
    made = seed_demo_notices(random.Random(7), count=12)
    assert made == 12
    states = set(Notice.objects.values_list("state", flat=True))
    assert len(states) >= 3

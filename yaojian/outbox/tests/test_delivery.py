"""The outbox: written with the change, delivered after commit, retried, dead, replayed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from yaojian.audit.models import AuditEvent
from yaojian.core import events
from yaojian.outbox import codec, delivery
from yaojian.outbox.choices import MessageStatus
from yaojian.outbox.models import Message
from yaojian.outbox.tests import handoffs
from yaojian.outbox.tests.handoffs import Inner, ThingHandedOff

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
FULL = ThingHandedOff(
    thing=7,
    department_id=0,
    ref=UUID("12345678-1234-5678-1234-567812345678"),
    inner=Inner(amount=Decimal("1234.50"), on=dt.date(2026, 3, 2)),
    tags=("a", "b"),
    extra={"$odd": [1, (2, 3)], "nested": {"x": None}},
)


def effects() -> int:
    return AuditEvent.objects.filter(action="outbox.test_effect").count()


def test_codec_round_trips_an_event_exactly():
    data = codec.encode(FULL)
    assert data["inner"] == {
        "$dataclass": "yaojian.outbox.tests.handoffs.Inner",
        "fields": {"amount": {"$decimal": "1234.50"}, "on": {"$date": "2026-03-02"}},
    }
    assert codec.decode("yaojian.outbox.tests.handoffs.ThingHandedOff", data) == FULL


def test_codec_round_trips_the_real_events():
    from yaojian.enforcement.events import CaseDecided, PenaltyPublication
    from yaojian.linkage.events import LinkReviewResolved

    publication = PenaltyPublication(
        decision_public_id=UUID(int=1),
        decision_number="城市监处罚〔2026〕12号",
        decided_on=dt.date(2026, 3, 2),
        department_id=3,
        department_name="城关区市场监督管理局",
        region_code="540102",
        party_name="拉萨某药店",
        party_credit_code="91540100MA6T000000",
        party_is_person=False,
        legal_representative="张三",
        violation="销售劣药",
        legal_basis="《药品管理法》第117条",
        penalty_summary="罚款",
        penalty_kinds=("fine",),
        fine_amount=Decimal("50000.00"),
        confiscated_amount=None,
        simple_procedure=False,
    )
    decided = CaseDecided(1, UUID(int=2), "2026-1", 3, "540102", None, 9, publication, (3, 4))
    resolved = LinkReviewResolved(5, "confirmed", 8, "exchange", "b:1", {"payload": {"名称": "x"}})
    for event in (decided, resolved):
        data = codec.encode(event)
        assert codec.decode(events.event_type_name(type(event)), data) == event


def test_codec_refuses_values_json_cannot_carry():
    with pytest.raises(TypeError, match="cannot carry a set"):
        codec.encode(ThingHandedOff(thing=1, extra={"s": {1}}))


def test_publish_writes_one_row_per_handler_in_the_transaction(subscribed):
    subscribed(handoffs.remember, handoffs.write_effect)
    with transaction.atomic():
        events.publish(FULL)
        rows = list(Message.objects.order_by("pk"))
    assert [(m.handler, m.status) for m in rows] == [
        ("yaojian.outbox.tests.handoffs.remember", MessageStatus.PENDING),
        ("yaojian.outbox.tests.handoffs.write_effect", MessageStatus.PENDING),
    ]
    assert rows[0].event_id == rows[1].event_id
    assert rows[0].idempotency_key == f"{rows[0].event_id}:yaojian.outbox.tests.handoffs.remember"
    assert rows[0].event_type == "yaojian.outbox.tests.handoffs.ThingHandedOff"
    assert handoffs.SEEN == []  # nothing runs before commit


def test_rolled_back_change_leaves_no_hand_off(subscribed, django_capture_on_commit_callbacks):
    subscribed(handoffs.remember)

    def change_that_fails() -> None:
        with transaction.atomic():
            events.publish(FULL)
            raise ValueError("the change failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValueError, match="the change failed"),
    ):
        change_that_fails()
    assert (Message.objects.count(), callbacks, handoffs.SEEN) == (0, [], [])


DB_TASKS = {
    "default": {"BACKEND": "yaojian.core.task_queue.DatabaseBackend", "QUEUES": ["default"]}
}


def test_database_queue_rows_are_written_with_the_hand_offs(
    subscribed, settings, django_capture_on_commit_callbacks
):
    """With the queue in this database, the deliveries are enqueued inside the publisher's
    transaction (no second write after the commit): they commit, or roll back, together."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    subscribed(handoffs.remember, handoffs.write_effect)

    def change_that_fails() -> None:
        with transaction.atomic():
            events.publish(FULL)
            assert DBTaskResult.objects.count() == 1  # written in the transaction
            raise ValueError("the change failed")

    with pytest.raises(ValueError, match="the change failed"):
        change_that_fails()
    assert (Message.objects.count(), DBTaskResult.objects.count()) == (0, 0)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        events.publish(FULL)
    assert callbacks == []  # nothing left for after the commit
    ids = sorted(Message.objects.values_list("pk", flat=True))
    (row,) = DBTaskResult.objects.all()  # one queue row for the event's two hand-offs
    assert row.task_path == "yaojian.outbox.tasks.deliver_messages_task"
    assert sorted(row.args_kwargs["kwargs"]["message_ids"]) == ids
    assert handoffs.SEEN == []  # the worker delivers them


def test_an_events_hand_offs_are_delivered_by_one_task_each_on_its_own(subscribed):
    """``deliver_many`` claims the due hand-offs in one statement and runs each in its own
    transaction: a failing handler keeps its hand-off for retry without undoing the other."""
    subscribed(handoffs.write_effect, handoffs.write_then_fail)
    with time_machine.travel(T0, tick=False):
        events.publish(FULL)
        ids = sorted(Message.objects.values_list("pk", flat=True))
        statuses = delivery.deliver_many(ids)
        assert sorted(statuses, key=str) == [MessageStatus.DELIVERED, MessageStatus.FAILED]
        assert effects() == 1  # the failing handler's effect rolled back, the other's kept
        assert sorted(Message.objects.values_list("attempts", flat=True)) == [1, 1]
        # run again (a duplicate task): the delivered one is not due, the failed one not yet
        assert delivery.deliver_many(ids) == [None, None]
        assert effects() == 1


def test_event_without_handlers_writes_nothing():
    events.publish(FULL)
    assert Message.objects.count() == 0


def test_delivered_after_commit_with_the_same_event(subscribed, django_capture_on_commit_callbacks):
    subscribed(handoffs.remember, handoffs.write_effect)
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(FULL)
    assert handoffs.SEEN == [FULL]
    assert effects() == 1
    assert set(Message.objects.values_list("status", "attempts", "last_error")) == {
        (MessageStatus.DELIVERED, 1, "")
    }


def test_failed_handler_keeps_no_effect_and_retries_by_the_shared_schedule(
    subscribed, django_capture_on_commit_callbacks
):
    subscribed(handoffs.write_then_fail)
    with time_machine.travel(T0, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            events.publish(FULL)
        message = Message.objects.get()
        assert (message.status, message.attempts) == (MessageStatus.FAILED, 1)
        assert message.next_attempt_at == T0 + dt.timedelta(seconds=30)
        assert "RuntimeError: receiving system refused" in message.last_error
        assert effects() == 0
        # not due yet: nothing happens
        assert delivery.deliver(message.pk) is None
        delays = [120, 600, 3600, 21600]
        for attempt, delay in enumerate(delays, start=2):
            traveller.shift(dt.timedelta(seconds=30 if attempt == 2 else delays[attempt - 3]))
            assert delivery.deliver(message.pk) == MessageStatus.FAILED
            message.refresh_from_db()
            assert message.next_attempt_at == timezone.now() + dt.timedelta(seconds=delay)
        traveller.shift(dt.timedelta(seconds=21600))
        assert delivery.deliver(message.pk) == MessageStatus.DEAD
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (
        MessageStatus.DEAD,
        6,
        None,
    )
    assert effects() == 0


def test_sweep_delivers_a_hand_off_whose_enqueue_was_lost(subscribed, deliver_outbox):
    # given: published and committed, but the on-commit enqueue never ran (process died)
    subscribed(handoffs.write_effect)
    events.publish(FULL)  # inside the test's transaction: on-commit callbacks do not run
    assert Message.objects.get().status == MessageStatus.PENDING
    # when
    assert deliver_outbox() == 1
    # then
    assert Message.objects.get().status == MessageStatus.DELIVERED
    assert effects() == 1
    assert deliver_outbox() == 0  # delivered once, not again


def test_a_running_hand_off_is_taken_again_only_after_its_lease(subscribed, settings):
    # given: a worker claimed it and died before finishing
    settings.OUTBOX_LEASE_SECONDS = 120
    subscribed(handoffs.write_effect)
    events.publish(FULL)
    message = Message.objects.get()
    with time_machine.travel(T0, tick=False) as traveller:
        Message.objects.filter(pk=message.pk).update(next_attempt_at=T0)
        dead_token = delivery.claim(message.pk)
        assert dead_token is not None
        traveller.shift(dt.timedelta(seconds=119))
        assert delivery.deliver_due() == 0
        traveller.shift(dt.timedelta(seconds=1))
        assert delivery.deliver_due() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 2)
    # the dead worker, were it to wake up, finds the hand-off is no longer its own
    assert delivery.run_claimed(message.pk, dead_token) is None
    assert effects() == 1


def test_unknown_handler_is_a_failure_kept_for_retry(subscribed, deliver_outbox):
    subscribed(handoffs.remember)
    events.publish(FULL)
    events.unsubscribe(ThingHandedOff, handoffs.remember)  # e.g. an older worker
    deliver_outbox()
    message = Message.objects.get()
    assert message.status == MessageStatus.FAILED
    assert "no handler 'yaojian.outbox.tests.handoffs.remember'" in message.last_error


def test_handler_sees_the_idempotency_key(subscribed, deliver_outbox):
    keys: list[str | None] = []

    def note_key(event: ThingHandedOff) -> None:
        keys.append(events.delivery_key())

    subscribed(note_key)
    events.publish(FULL)
    deliver_outbox()
    assert keys == [Message.objects.get().idempotency_key]
    assert events.delivery_key() is None


def test_department_of_the_event_is_kept_for_scoping(subscribed, regions):
    from yaojian.accounts.tests.factories import DepartmentFactory

    department = DepartmentFactory()
    subscribed(handoffs.remember)
    events.publish(ThingHandedOff(thing=1, department_id=department.pk))
    events.publish(ThingHandedOff(thing=2))
    assert list(Message.objects.order_by("pk").values_list("department_id", flat=True)) == [
        department.pk,
        None,
    ]


def test_deliver_outbox_command_runs_what_is_due(subscribed):
    from io import StringIO

    from django.core.management import call_command

    subscribed(handoffs.write_effect)
    events.publish(FULL)
    out = StringIO()
    call_command("deliver_outbox", stdout=out)
    assert out.getvalue() == "Hand-offs run: 1; still waiting: 0.\n"
    assert effects() == 1

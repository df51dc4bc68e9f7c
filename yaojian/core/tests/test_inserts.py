"""``core.inserts``: one ``INSERT … RETURNING`` per row or list, the same rows as the ORM's
``save()``/``bulk_create`` (values prepared by the fields, primary keys set), conflicts skipped
without a savepoint; one object of a model whose save signals have a receiver sends them as
``save()`` does, several go through ``bulk_create``."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yaojian.core import inserts
from yaojian.outbox.choices import MessageStatus
from yaojian.outbox.models import Message

pytestmark = pytest.mark.django_db


def _message(key: str, **fields: Any) -> Message:
    now = timezone.now()
    return Message(
        event_id=uuid.uuid4(),
        event_type="core.Test",
        handler="core.handler",
        payload={"n": 1, "text": "中文", "nested": {"list": [1, 2]}},
        idempotency_key=key,
        status=MessageStatus.PENDING,
        next_attempt_at=now,
        **fields,
    )


def test_one_row_in_one_statement_with_its_primary_key_and_stamps() -> None:
    message = _message("k-1")
    with CaptureQueriesContext(connection) as queries:
        assert inserts.insert(message) is True
    assert len(queries.captured_queries) == 1
    assert "RETURNING" in queries.captured_queries[0]["sql"]
    assert message.pk is not None
    assert message._state.adding is False
    assert message._state.db == "default"
    assert message.created_at is not None  # auto_now_add, as save() sets it
    assert message.updated_at is not None
    row = Message.objects.get(pk=message.pk)
    assert row.public_id == message.public_id
    assert row.payload == {"n": 1, "text": "中文", "nested": {"list": [1, 2]}}
    assert row.idempotency_key == "k-1"
    assert row.department_id is None
    assert row.created_at == message.created_at


def test_many_rows_in_one_statement_with_their_keys_in_order() -> None:
    messages = [_message(f"k-{n}") for n in range(3)]
    with CaptureQueriesContext(connection) as queries:
        assert inserts.insert_all(messages) == 3
    assert len(queries.captured_queries) == 1
    for message in messages:
        assert Message.objects.get(pk=message.pk).idempotency_key == message.idempotency_key
    assert [m.pk for m in messages] == sorted(m.pk for m in messages)


def test_a_conflict_writes_nothing_and_the_transaction_goes_on() -> None:
    inserts.insert(_message("taken"))
    again = _message("taken")
    with CaptureQueriesContext(connection) as queries:
        assert inserts.insert(again, ignore_conflicts=True) is False
    assert len(queries.captured_queries) == 1  # no savepoint around it
    assert again.pk is None
    assert again._state.adding is True
    # The transaction is still usable (PostgreSQL would refuse every statement after an error).
    assert Message.objects.filter(idempotency_key="taken").count() == 1
    assert inserts.insert(_message("free"), ignore_conflicts=True) is True


def test_an_object_already_saved_is_refused() -> None:
    message = _message("k-saved")
    inserts.insert(message)
    with pytest.raises(ValueError, match="new objects"):
        inserts.insert(message)


def _queue_row(**fields: Any) -> Any:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="yaojian.outbox.tasks.deliver_messages_task",
        queue_name="default",
        backend_name="default",
        **fields,
    )


def test_one_object_of_a_model_with_save_receivers_sends_the_signals_as_save_does() -> None:
    """django_tasks_db sets a queue row's ``run_after`` in a ``pre_save`` receiver: it runs
    before the values are prepared, and ``post_save`` follows with ``created`` (ADR 0041)."""
    from django.db.models import signals
    from django_tasks_db.models import DBTaskResult, get_date_max

    seen: list[tuple[str, Any, Any]] = []

    def pre(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(("pre", instance.run_after, kwargs["using"]))

    def post(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        seen.append(("post", created, instance._state.adding))

    signals.pre_save.connect(pre, sender=DBTaskResult)
    signals.post_save.connect(post, sender=DBTaskResult)
    try:
        row = _queue_row(run_after=None)  # the library's receiver sets it
        with CaptureQueriesContext(connection) as queries:
            assert inserts.insert(row) is True
    finally:
        signals.pre_save.disconnect(pre, sender=DBTaskResult)
        signals.post_save.disconnect(post, sender=DBTaskResult)
    assert len(queries.captured_queries) == 1
    assert "RETURNING" in queries.captured_queries[0]["sql"]  # not the ORM's insert
    assert ("post", True, False) in seen
    assert [s[0] for s in seen].index("pre") < [s[0] for s in seen].index("post")
    stored = DBTaskResult.objects.get(pk=row.pk)
    assert stored.run_after == get_date_max()
    assert stored.enqueued_at == row.enqueued_at is not None
    assert stored.status == "READY"
    assert stored.worker_ids == []
    assert stored.return_value is None


def test_several_objects_of_a_model_with_save_receivers_go_through_bulk_create() -> None:
    from django_tasks_db.models import DBTaskResult

    rows = [_queue_row(run_after=timezone.now()) for _n in range(2)]
    assert inserts.insert_all(rows) == 2
    assert DBTaskResult.objects.count() == 2

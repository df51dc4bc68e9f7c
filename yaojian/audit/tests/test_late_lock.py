"""The chain lock is taken just before COMMIT: a transaction holds it for one INSERT only."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, transaction

from yaojian.audit.models import AuditEvent
from yaojian.audit.services import record
from yaojian.audit.verification import verify_chain


def _advisory_locks_held() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_event_is_written_when_the_block_ends_not_before():
    before = AuditEvent.objects.count()
    with transaction.atomic():
        event = record(actor=None, action="test.pending")
        assert (event.pk, event.hash) == (None, "")
        assert AuditEvent.objects.count() == before
    assert AuditEvent.objects.count() == before + 1
    assert event.pk is not None
    assert AuditEvent.objects.get(pk=event.pk).hash == event.hash
    assert verify_chain().ok


@pytest.mark.django_db
def test_events_of_a_rolled_back_savepoint_are_dropped():
    class RefusedError(Exception):
        pass

    def refused_step() -> None:
        with transaction.atomic():
            record(actor=None, action="test.dropped")
            raise RefusedError

    before = AuditEvent.objects.count()
    with transaction.atomic():
        record(actor=None, action="test.kept")
        with pytest.raises(RefusedError):
            refused_step()
        record(actor=None, action="test.kept_too")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[before:] == ["test.kept", "test.kept_too"]
    assert verify_chain().ok


def _failing_block(action: str) -> None:
    with transaction.atomic():
        record(actor=None, action=action)
        raise ZeroDivisionError


@pytest.mark.django_db
def test_events_of_a_failed_block_are_not_written():
    before = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError):
        _failing_block("test.failed")
    record(actor=None, action="test.after")
    assert list(AuditEvent.objects.values_list("action", flat=True)[before:]) == ["test.after"]


@pytest.mark.django_db(transaction=True)
def test_a_real_transaction_writes_its_events_at_commit_and_none_on_rollback():
    before = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError):
        _failing_block("test.rolled_back")
    with transaction.atomic():
        first = record(actor=None, action="test.one")
        second = record(actor=None, action="test.two")
        assert AuditEvent.objects.count() == before
    assert AuditEvent.objects.count() == before + 2
    assert second.prev_hash == first.hash
    assert verify_chain().ok
    assert connection.audit_pending == []


@pytest.mark.django_db(transaction=True)
def test_no_chain_lock_is_held_while_the_transaction_works():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's IMMEDIATE transactions serialise every writer anyway.")
    with transaction.atomic():
        record(actor=None, action="test.working")
        assert _advisory_locks_held() == 0  # a PDF rendered here blocks nobody's audit
    assert AuditEvent.objects.filter(action="test.working").count() == 1


@pytest.mark.django_db(transaction=True)
def test_early_mode_holds_the_chain_lock_from_the_first_record(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's IMMEDIATE transactions serialise every writer anyway.")
    settings.AUDIT_CHAIN_LOCK = "early"
    with transaction.atomic():
        event = record(actor=None, action="test.early")
        assert event.pk is not None
        assert _advisory_locks_held() == 1
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("mode", "blocked"), [("late", False), ("early", True)])
def test_other_writers_wait_only_in_early_mode(settings, mode, blocked):
    # given: one transaction has recorded an event and is still working (rendering a PDF)
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's IMMEDIATE transactions serialise every writer anyway.")
    settings.AUDIT_CHAIN_LOCK = mode
    recorded, finish = threading.Event(), threading.Event()
    outcome: list[str] = []

    def slow_writer() -> None:
        from django.db import connection as own

        try:
            with transaction.atomic():
                record(actor=None, action="test.slow")
                recorded.set()
                finish.wait(10)
        finally:
            own.close()

    def other_writer() -> None:
        from django.db import connection as own

        try:
            with transaction.atomic():
                with own.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '1s'")
                record(actor=None, action="test.other")
            outcome.append("committed")
        except OperationalError:
            outcome.append("timed out")
        finally:
            own.close()

    slow = threading.Thread(target=slow_writer)
    slow.start()
    assert recorded.wait(10)
    # when
    other = threading.Thread(target=other_writer)
    other.start()
    other.join()
    finish.set()
    slow.join()
    # then
    assert outcome == (["timed out"] if blocked else ["committed"])
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    if blocked:
        assert actions[-1] == "test.slow"
        assert "test.other" not in actions
    else:  # chained in commit order: the other writer committed first
        assert actions[-2:] == ["test.other", "test.slow"]
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_transaction_whose_events_cannot_be_chained_commits_nothing(settings, tmp_path, regions):
    # given: the key file became readable by others, so no event can be hashed
    from django.core.exceptions import ImproperlyConfigured

    from yaojian.audit.keys import forget_keys
    from yaojian.territory.models import GridCell

    key = tmp_path / "chain.key"
    key.write_text("k" * 64)
    key.chmod(0o644)
    settings.AUDIT_CHAIN_KEY = ""
    settings.AUDIT_CHAIN_KEY_FILE = str(key)
    forget_keys()
    before = AuditEvent.objects.count()
    cells = GridCell.objects.count()

    def change() -> None:
        with transaction.atomic():
            GridCell.objects.create(region_id="540102", code="T-1", name="test cell")
            record(actor=None, action="test.unchainable")

    # when
    try:
        with pytest.raises(ImproperlyConfigured):
            change()
    finally:
        forget_keys()
    # then
    assert (AuditEvent.objects.count(), GridCell.objects.count()) == (before, cells)
    assert connection.get_autocommit()

"""The audit chain: verification finds edits, deletions and insertions by position."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection

from yaojian.audit.chain import digest
from yaojian.audit.models import AuditEvent
from yaojian.audit.services import record
from yaojian.audit.verification import verify_chain


def _record_three() -> tuple[int, list[AuditEvent]]:
    """Three fresh events; returns the number of events before them and the events."""
    before = AuditEvent.objects.count()
    events = [
        record(actor=None, action=f"test.step_{n}", object_type="test.thing", object_id=str(n))
        for n in (1, 2, 3)
    ]
    return before, events


@pytest.mark.django_db
def test_intact_chain_verifies():
    before, _ = _record_three()
    report = verify_chain()
    assert report.ok
    assert report.checked == before + 3


@pytest.mark.django_db
def test_edited_row_is_found_at_its_position():
    # given
    before, (_, second, _) = _record_three()
    # when
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = %s WHERE id = %s", ["test.forged", second.pk]
        )
    # then
    report = verify_chain()
    assert [(p.position, p.event_id, p.kind) for p in report.problems] == [
        (before + 2, second.pk, "edited")
    ]


@pytest.mark.django_db
def test_deleted_row_is_found_at_the_next_position():
    before, (_, second, third) = _record_three()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    report = verify_chain()
    assert [(p.position, p.event_id, p.kind) for p in report.problems] == [
        (before + 2, third.pk, "inserted_or_deleted")
    ]


@pytest.mark.django_db
def test_inserted_row_with_a_valid_hash_is_found_after_it():
    # given: a forger moves the last event up one id and slips a row with a correct digest
    # chained to the second event into the gap
    before, (_, second, third) = _record_three()
    forged_at = third.occurred_at
    forged_hash = digest(
        prev_hash=second.hash,
        occurred_at=forged_at,
        actor_id=None,
        actor_label="system",
        department_id=None,
        action="test.forged",
        object_type="",
        object_id="",
        object_repr="",
        changes={},
        reason="",
        request_id="",
        ip_address=None,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET id = %s WHERE id = %s", [third.pk + 1, third.pk]
        )
        cursor.execute(
            "INSERT INTO audit_auditevent (id, occurred_at, actor_label, action, object_type, "
            "object_id, object_repr, changes, reason, request_id, prev_hash, hash) "
            "VALUES (%s, %s, 'system', 'test.forged', '', '', '', %s, '', '', %s, %s)",
            [third.pk, forged_at, "{}", second.hash, forged_hash],
        )
    # when
    report = verify_chain()
    # then: the forged row itself is consistent; the row after it no longer links up
    assert [(p.position, p.event_id, p.kind) for p in report.problems] == [
        (before + 4, third.pk + 1, "inserted_or_deleted")
    ]


@pytest.mark.django_db
def test_command_prints_ok_and_exits_0(capsys):
    before, _ = _record_three()
    execute_from_command_line(["manage.py", "verify_audit"])
    assert capsys.readouterr().out == f"OK: {before + 3} events verified\n"


@pytest.mark.django_db
def test_command_prints_each_problem_and_exits_1(capsys):
    # given
    before, (first, second, third) = _record_three()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [first.pk])
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    # when
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "verify_audit"])
    # then
    assert exit_info.value.code == 1
    output = capsys.readouterr()
    assert output.out.splitlines() == [
        f"position {before + 1} (event #{first.pk}): edited — content does not match its hash",
        f"position {before + 2} (event #{third.pk}): inserted_or_deleted — previous-hash link "
        "broken: a row before this one was inserted or deleted",
    ]
    assert "2 problem(s)" in output.err


@pytest.mark.django_db
def test_command_raises_command_error_with_status_1_when_called_in_code():
    _, (first, _, _) = _record_three()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_id = '99' WHERE id = %s", [first.pk])
    with pytest.raises(CommandError) as error:
        call_command("verify_audit", stdout=None)
    assert error.value.returncode == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_stay_one_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the advisory lock is PostgreSQL's.")
    # given
    threads_count, per_thread = 4, 5
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            for n in range(per_thread):
                record(actor=None, action="test.concurrent", object_id=f"{worker}-{n}")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            thread_connection.close()

    # when
    threads = [threading.Thread(target=append, args=(w,)) for w in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert errors == []
    assert AuditEvent.objects.filter(action="test.concurrent").count() == threads_count * per_thread
    report = verify_chain()
    assert report.ok, report.problems
    prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prev_hashes) == len(set(prev_hashes))

"""The audit chain: verification finds edits, deletions and insertions by position.

Tampering is done with raw SQL, as someone with write access to the database would do it,
bypassing the model's append-only guards.
"""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection

from yaojian.audit.chain import GENESIS, KEYED, LEGACY, digest
from yaojian.audit.keys import chain_key
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


def _found(report):
    return [(p.position, p.event_id, p.kind) for p in report.problems]


def _rehash_from(event_id: int, key: bytes | None, version: int) -> None:
    """Recompute every hash from ``event_id`` on, as a forger would (raw SQL)."""
    prev = (
        AuditEvent.objects.filter(id__lt=event_id)
        .order_by("-id")
        .values_list("hash", flat=True)
        .first()
        or GENESIS
    )
    for event in AuditEvent.objects.filter(id__gte=event_id).order_by("id"):
        new_hash = digest(
            prev_hash=prev,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            department_id=event.department_id,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            object_repr=event.object_repr,
            changes=event.changes,
            reason=event.reason,
            request_id=event.request_id,
            ip_address=event.ip_address,
            key=key,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET prev_hash = %s, hash = %s, version = %s WHERE id = %s",
                [prev, new_hash, version, event.pk],
            )
        prev = new_hash


@pytest.mark.django_db
def test_intact_chain_verifies():
    before, events = _record_three()
    report = verify_chain()
    assert report.ok
    assert report.checked == before + 3
    assert [e.version for e in events] == [KEYED] * 3


@pytest.mark.django_db
def test_new_rows_carry_the_keyed_digest_not_plain_sha256():
    _, (first, _, _) = _record_three()
    stored = AuditEvent.objects.get(pk=first.pk)
    fields = {
        "prev_hash": stored.prev_hash,
        "occurred_at": stored.occurred_at,
        "actor_id": None,
        "actor_label": "system",
        "department_id": None,
        "action": "test.step_1",
        "object_type": "test.thing",
        "object_id": "1",
        "object_repr": "",
        "changes": {},
        "reason": "",
        "request_id": "",
        "ip_address": None,
    }
    assert stored.hash == digest(**fields, key=chain_key())
    assert stored.hash != digest(**fields)


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
    assert _found(verify_chain()) == [(before + 2, second.pk, "edited")]


@pytest.mark.django_db
def test_edited_row_rehashed_without_the_key_is_found_at_its_position():
    # given: the forger edits the second event and recomputes every later hash with SHA-256
    before, (_, second, third) = _record_three()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [second.pk])
    _rehash_from(second.pk, key=None, version=KEYED)
    # then: the links hold, but no keyed digest matches
    assert _found(verify_chain()) == [
        (before + 2, second.pk, "edited"),
        (before + 3, third.pk, "edited"),
    ]


@pytest.mark.django_db
def test_rows_rehashed_as_unkeyed_version_1_are_found_as_downgraded():
    before, (_, second, third) = _record_three()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [second.pk])
    _rehash_from(second.pk, key=None, version=LEGACY)
    assert _found(verify_chain()) == [
        (before + 2, second.pk, "downgraded"),
        (before + 3, third.pk, "downgraded"),
    ]


@pytest.mark.django_db
def test_legacy_rows_before_keyed_ones_verify():
    # given: a chain written before ADR 0011 (plain SHA-256, version 1), then keyed rows
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    old = [record(actor=None, action="test.old", object_id=str(n)) for n in (1, 2)]
    _rehash_from(old[0].pk, key=None, version=LEGACY)
    new = record(actor=None, action="test.new")
    # when
    report = verify_chain()
    # then
    assert report.ok, report.problems
    assert (report.checked, report.legacy) == (3, 2)
    assert AuditEvent.objects.get(pk=new.pk).version == KEYED


@pytest.mark.django_db
def test_deleted_row_is_found_at_the_next_position():
    before, (_, second, third) = _record_three()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    assert _found(verify_chain()) == [(before + 2, third.pk, "inserted_or_deleted")]


@pytest.mark.django_db
def test_inserted_row_with_a_valid_hash_is_found_after_it():
    # given: a forger holding the key moves the last event up one id and slips a row with a
    # correct keyed digest chained to the second event into the gap
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
        key=chain_key(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET id = %s WHERE id = %s", [third.pk + 1, third.pk]
        )
        cursor.execute(
            "INSERT INTO audit_auditevent (id, occurred_at, actor_label, action, object_type, "
            "object_id, object_repr, changes, reason, request_id, prev_hash, hash, version) "
            "VALUES (%s, %s, 'system', 'test.forged', '', '', '', %s, '', '', %s, %s, 2)",
            [third.pk, forged_at, "{}", second.hash, forged_hash],
        )
    # when
    report = verify_chain()
    # then: the forged row itself is consistent; the row after it no longer links up
    assert _found(report) == [(before + 4, third.pk + 1, "inserted_or_deleted")]


@pytest.mark.django_db
def test_command_prints_ok_and_exits_0(capsys):
    before, _ = _record_three()
    execute_from_command_line(["manage.py", "verify_audit"])
    output = capsys.readouterr()
    assert output.out == f"OK: {before + 3} events verified, 0 checkpoints matched\n"
    assert "no checkpoint of this database yet" in output.err


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

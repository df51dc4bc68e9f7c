"""Signed checkpoints outside the database: truncation and re-hashing found by position."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command, execute_from_command_line
from django.db import connection

from yaojian.audit import checkpoints
from yaojian.audit.keys import chain_key, forget_keys
from yaojian.audit.models import AuditEvent
from yaojian.audit.services import record
from yaojian.audit.tests.test_verification import _found, _record_three, _rehash_from
from yaojian.audit.verification import verify_chain

pytestmark = pytest.mark.django_db


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_checkpoint_states_count_head_and_is_signed(settings):
    # given
    before, (_, _, third) = _record_three()
    # when
    written = checkpoints.write_checkpoint()
    # then
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    (line,) = _lines(path)
    assert written is not None
    assert (line["count"], line["head_id"], line["head_hash"], line["legacy"]) == (
        before + 3,
        third.pk,
        third.hash,
        0,
    )
    assert line["db"] == checkpoints.database_identity()
    assert line["sig"] == checkpoints.signature({k: line[k] for k in line if k != "sig"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    report = verify_chain()
    assert (report.ok, report.checkpoints) == (True, 1)


def test_unchanged_chain_is_not_checkpointed_twice(settings):
    _record_three()
    assert checkpoints.write_checkpoint() is not None
    assert checkpoints.write_checkpoint() is None
    record(actor=None, action="test.more")
    assert checkpoints.write_checkpoint() is not None
    assert len(_lines(Path(settings.AUDIT_CHECKPOINT_FILE))) == 2


def test_rows_deleted_at_the_end_are_found_by_the_checkpoint():
    # given: a checkpoint, then the newest two rows deleted
    before, (_, second, third) = _record_three()
    checkpoints.write_checkpoint()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [second.pk, third.pk])
    # when
    report = verify_chain()
    # then: the remaining chain is intact, but shorter than signed
    assert _found(report) == [(before + 2, None, "truncated")]
    assert f"counted {before + 3} events" in report.problems[0].detail
    assert f"the chain ends at {before + 1}" in report.problems[0].detail


def test_deleted_middle_row_is_found_by_link_and_by_checkpoint():
    before, (_, second, third) = _record_three()
    checkpoints.write_checkpoint()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    assert _found(verify_chain()) == [
        (before + 2, third.pk, "inserted_or_deleted"),
        (before + 3, None, "truncated"),  # the chain is one row shorter than signed
    ]


def test_row_rewritten_and_rehashed_with_the_key_is_found_by_the_checkpoint():
    # given: an insider holding the key edits the first event and re-hashes every later one
    before, (first, _, third) = _record_three()
    checkpoints.write_checkpoint()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [first.pk])
    _rehash_from(first.pk, key=chain_key(), version=2)
    # when
    report = verify_chain()
    # then: every row is consistent, but the head is not the one the checkpoint signed
    assert _found(report) == [(before + 3, third.pk, "checkpoint_mismatch")]


def test_forged_checkpoint_line_is_reported(settings):
    # given: a forger appends a checkpoint for a chain one row shorter, without the key
    before, (_, second, _) = _record_three()
    real = checkpoints.current()
    forged = checkpoints.Checkpoint(
        v=1,
        db=real.db,
        count=before + 2,
        head_id=second.pk,
        head_hash=second.hash,
        legacy=0,
        at=real.at,
        sig="0" * 64,
    )
    checkpoints.append(real)
    checkpoints.append(forged)
    with Path(settings.AUDIT_CHECKPOINT_FILE).open("a") as handle:
        handle.write("not json\n")
    # when
    report = verify_chain()
    # then
    path = settings.AUDIT_CHECKPOINT_FILE
    assert [(p.position, p.kind, p.detail) for p in report.problems] == [
        (0, "forged_checkpoint", f"{path} line 3: not a checkpoint"),
        (before + 2, "forged_checkpoint", f"{path} line 2: signature does not match"),
    ]
    assert report.checkpoints == 1


def test_checkpoints_of_other_databases_are_ignored(settings):
    _record_three()
    other = checkpoints.Checkpoint(
        v=1,
        db="postgresql:elsewhere",
        count=10**6,
        head_id=1,
        head_hash="a" * 64,
        legacy=0,
        at="2026-01-01T00:00:00+00:00",
    ).signed()
    checkpoints.append(other)
    report = verify_chain()
    assert (report.ok, report.checkpoints) == (True, 0)


def test_legacy_count_is_held_against_the_checkpoint():
    # given: two unkeyed rows before the upgrade, checkpointed; then one is rewritten as keyed
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    old = [record(actor=None, action="test.old", object_id=str(n)) for n in (1, 2)]
    _rehash_from(old[0].pk, key=None, version=1)
    checkpoints.write_checkpoint()
    assert verify_chain().ok
    _rehash_from(old[1].pk, key=chain_key(), version=2)
    # then: rows are consistent, but the checkpoint's head hash no longer matches
    assert _found(verify_chain()) == [(2, old[1].pk, "checkpoint_mismatch")]


def test_command_reports_truncation_with_exit_1(capsys):
    before, (_, _, third) = _record_three()
    call_command("audit_checkpoint")
    assert f"checkpoint: {before + 3} events" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [third.pk])
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "verify_audit"])
    assert exit_info.value.code == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"position {before + 3}: truncated — the checkpoint of ")


def test_command_reads_an_extra_checkpoint_file(tmp_path, capsys):
    # given: the copy another department kept (its webhook payloads, one a line)
    before, (_, _, third) = _record_three()
    copy = tmp_path / "received.jsonl"
    checkpoints.append(checkpoints.current(), copy)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [third.pk])
    # when / then
    call_command("verify_audit")  # the local file knows nothing
    with pytest.raises(SystemExit):
        execute_from_command_line(["manage.py", "verify_audit", "--checkpoints", str(copy)])
    assert f"position {before + 3}: truncated" in capsys.readouterr().out


def test_key_file_is_created_once_with_mode_0600(settings, tmp_path):
    settings.AUDIT_CHAIN_KEY = ""
    settings.AUDIT_CHAIN_KEY_FILE = str(tmp_path / "keys" / "chain.key")
    forget_keys()
    key = chain_key()
    path = tmp_path / "keys" / "chain.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 64
    forget_keys()
    assert chain_key() == key
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    forget_keys()


def test_key_file_readable_by_others_is_refused(settings, tmp_path):
    path = tmp_path / "chain.key"
    path.write_text("k" * 64)
    path.chmod(0o644)
    settings.AUDIT_CHAIN_KEY = ""
    settings.AUDIT_CHAIN_KEY_FILE = str(path)
    forget_keys()
    with pytest.raises(ImproperlyConfigured, match="chmod 600"):
        chain_key()
    forget_keys()


def test_key_from_settings_must_be_long_enough(settings):
    settings.AUDIT_CHAIN_KEY = "short"
    forget_keys()
    with pytest.raises(ImproperlyConfigured):
        chain_key()
    settings.AUDIT_CHAIN_KEY = "s" * 40
    forget_keys()
    assert chain_key() == b"s" * 40
    forget_keys()


def test_rows_written_under_another_key_do_not_verify(settings):
    # given: the chain written under one key, verified under another (a stolen database
    # replayed elsewhere, or a lost key)
    settings.AUDIT_CHAIN_KEY = "a" * 40
    forget_keys()
    before, (first, _, _) = _record_three()
    settings.AUDIT_CHAIN_KEY = "b" * 40
    forget_keys()
    # then: every keyed row fails, the ones before this test's too
    report = verify_chain()
    assert [p.kind for p in report.problems] == ["edited"] * (before + 3)
    assert report.problems[before].event_id == first.pk
    forget_keys()
    assert AuditEvent.objects.count() == before + 3


def test_scheduler_writes_checkpoints_through_its_task(settings):
    from yaojian.audit.tasks import write_checkpoint_task
    from yaojian.clocks import schedule

    before, _ = _record_three()
    names = {p.name: p for p in schedule.registered()}
    assert names["audit.write_checkpoint"].task is write_checkpoint_task
    result = write_checkpoint_task.enqueue()  # the immediate backend in tests
    assert result.return_value == before + 3
    assert [line["count"] for line in _lines(Path(settings.AUDIT_CHECKPOINT_FILE))] == [before + 3]

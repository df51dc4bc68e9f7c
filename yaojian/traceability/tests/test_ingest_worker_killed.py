"""The drill: a real ``db_worker`` is SIGKILLed in the middle of a trace-event ingest; after a
restart (the stale job failed, the batch started again, a new worker) every accepted event is
stored exactly once, the rejected rows are kept, and no half-written file was ever visible.

Killed twice over: while the files are read, and while the batch is checked against history and
committed. Runs on SQLite (the committed test database copied to a file both processes share)
and on PostgreSQL (the test database itself).
"""

from __future__ import annotations

import csv
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from django.test import TestCase

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.roles import Role
from yaojian.outbox.tests.test_worker_killed import ROOT, Database, Processes
from yaojian.traceability import services
from yaojian.traceability.engine.generator import write
from yaojian.traceability.engine.store import TraceStore
from yaojian.traceability.tests.helpers import CLINIC, Events

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
KEY = "kill-drill"
FILES = 8
JOB_SQL = (
    "SELECT status, done, total, message FROM jobs_job "
    "WHERE kind = 'traceability.ingest' ORDER BY id DESC LIMIT 1"
)
BATCH_SQL = (
    "SELECT status, accepted, rejected, rejected_file FROM traceability_ingestbatch "
    f"WHERE idempotency_key = '{KEY}'"
)


@pytest.fixture
def processes() -> Iterator[list[Processes]]:
    made: list[Processes] = []
    yield made
    for group in made:
        group.stop_all()


def _bad_rows(folder: Path) -> int:
    """A file of rows the format refuses: an EAN-13 product code, an instant without offset."""
    e = Events()
    e.add("dispense", "2026-03-03T09:00:00+08:00", CLINIC, insured="p9", code="6901234567892")
    e.add("dispense", "2026-03-03T10:00:00", CLINIC, insured="p9", settlement="s9")
    e.write(folder, "zz-bad.csv")
    return 2


def _folders(tmp_path: Path) -> tuple[set[str], set[str]]:
    """~180,000 generated events: the first 20,000 are history (``history/``), the rest the
    batch in 8 CSV files with 2 bad rows (``upload/``); returns both sets of event ids. The two
    share packs, so the batch is really checked against history."""
    generated = write(tmp_path / "gen", 180_000, seed=11, fmt="parquet")
    table = pq.read_table(generated.files)
    (tmp_path / "history").mkdir()
    pq.write_table(table.slice(0, 20_000), tmp_path / "history" / "history.parquet")
    batch = table.slice(20_000)
    folder = tmp_path / "upload"
    folder.mkdir()
    n = batch.num_rows
    for i in range(FILES):
        start, stop = i * n // FILES, (i + 1) * n // FILES
        pcsv.write_csv(batch.slice(start, stop - start), folder / f"part-{i}.csv")
    _bad_rows(folder)
    ids = table.column("event_id").to_pylist()
    return set(ids[:20_000]), set(ids[20_000:])


def _visible_files_are_whole(store: Path) -> list[str]:
    """Every Parquet file a reader sees (the manifest's) opens and reads to its end; returns
    the event ids."""
    ids: list[str] = []
    for path in TraceStore(store).event_files():
        ids += pq.read_table(path, columns=["event_id"]).column("event_id").to_pylist()
    return ids


def _wait(condition: Any, timeout: float, what: str, logs: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    output = "\n".join(p.read_text(errors="replace")[-3000:] for p in logs.glob("*.log"))
    pytest.fail(f"timed out waiting for {what}\n{output}")


@pytest.mark.parametrize("stage", ["read", "check"])
def test_killed_ingest_stores_every_event_exactly_once(
    stage: str,
    settings: Any,
    regions: Any,
    tmp_path: Path,
    processes: list[Processes],
    user_in_department: Any,
) -> None:
    # given: a store holding history, and a batch of 8 files queued as a job
    store_dir = tmp_path / "store"
    settings.TRACE_STORE_DIR = store_dir
    settings.VAR_DIR = tmp_path / "var"
    settings.TASKS = DB_TASKS
    history_folder, folder = tmp_path / "history", tmp_path / "upload"
    history, batch_ids = _folders(tmp_path)
    TraceStore(store_dir).ingest(history_folder, batch_key="history")
    insurer = user_in_department(
        role=Role.INSPECTOR, region="540102", kind=DepartmentKind.MEDICAL_INSURANCE
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.start_ingest(actor=insurer, folder=folder, idempotency_key=KEY, source="api")
    database = Database(tmp_path)
    group = Processes(database, tmp_path)
    group.env["YAOJIAN_TRACE_DIR"] = str(store_dir)
    group.env["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    processes.append(group)

    def job() -> tuple[Any, ...]:
        rows = database.rows(JOB_SQL)
        return rows[0] if rows else ("", 0, 0, "")

    def reached() -> bool:
        status, done, total, _message = job()
        if status != "running" or not total:
            return False
        if stage == "read":
            return total == FILES + 1 and 2 <= done < total
        return total == 1  # the check against history (then the commit) has begun

    # when: the worker is killed in the middle of the ingest
    first = group.worker("worker-1")
    _wait(reached, 180, f"the ingest's {stage} stage", tmp_path)
    if stage == "check":
        time.sleep(0.3)  # into the check (and, on a fast machine, the commit)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert database.rows(BATCH_SQL)[0][0] == "running"  # it did not finish
    # then: what a reader sees now is whole files only, and no event twice
    seen = _visible_files_are_whole(store_dir)
    assert len(seen) == len(set(seen))
    assert history <= set(seen)

    # when: restarted: the stale job is failed, the batch started again, a new worker runs it
    restart = (
        "import datetime as dt\n"
        "from yaojian.jobs.services import fail_stale_jobs\n"
        "from yaojian.traceability import services\n"
        "from yaojian.traceability.models import IngestBatch\n"
        "assert fail_stale_jobs(older_than=dt.timedelta(0)) == 1\n"
        f"b = IngestBatch.objects.select_related('created_by', 'job').get(idempotency_key='{KEY}')\n"
        "services.retry_ingest(actor=b.created_by, batch=b)\n"
    )
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", restart],
        cwd=ROOT,
        env=group.env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    group.worker("worker-2")
    _wait(lambda: database.rows(BATCH_SQL)[0][0] == "done", 300, "the ingest to finish", tmp_path)

    # then: every accepted event is stored exactly once, history untouched
    _status, accepted, rejected, rejected_file = database.rows(BATCH_SQL)[0]
    assert (accepted, rejected) == (len(batch_ids), 2)
    stored = _visible_files_are_whole(store_dir)
    assert len(stored) == len(set(stored))
    assert set(stored) == history | batch_ids
    assert not list((store_dir / ".staging").glob("*/*"))
    assert len(list((store_dir / "events").rglob("*.parquet"))) == len(
        TraceStore(store_dir).event_files()
    )  # nothing left over from the killed run
    # and the rejected rows are kept with their reasons
    with Path(rejected_file).open(encoding="utf-8") as handle:
        reasons = sorted(row["reason_codes"] for row in csv.DictReader(handle))
    assert reasons == ["code_ean13", "occurred_at_without_offset"]
    # and the flags and the key table equal those of one uninterrupted ingest of the same files
    clean = TraceStore(tmp_path / "clean")
    clean.ingest(history_folder, batch_key="history")
    clean.ingest(folder, batch_key="x")
    assert TraceStore(store_dir).flags() == clean.flags()
    assert _codes(store_dir) == _codes(tmp_path / "clean")


def _codes(store: Path) -> list[tuple[Any, ...]]:
    import sqlite3

    with sqlite3.connect(store / "codes.sqlite3") as db:
        return db.execute("SELECT * FROM codes ORDER BY code").fetchall()

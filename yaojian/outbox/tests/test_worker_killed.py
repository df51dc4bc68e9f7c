"""The drill: a real ``db_worker`` is SIGKILLed in the middle of a batch of hand-offs
(licence revocations that must reach the health commission and the medical-insurance
bureau); after a restart every hand-off has taken effect exactly once.

Runs on SQLite (the committed test database is copied to a file both processes share) and on
PostgreSQL (the test database itself).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.core.events import publish
from yaojian.enforcement.events import LicenceRevoked
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(django_settings.BASE_DIR)
HANDOFFS = 100  # revocations, each a notice to 2 departments
DELIVERED_SQL = (
    "SELECT COUNT(*) FROM outbox_message "
    "WHERE handler = 'yaojian.enforcement.handlers.on_licence_revoked' AND status = 'delivered'"
)
STATUS_SQL = (
    "SELECT status, COUNT(*) FROM outbox_message "
    "WHERE handler = 'yaojian.enforcement.handlers.on_licence_revoked' GROUP BY status"
)
DB_TASKS = {
    "default": {"BACKEND": "yaojian.core.task_queue.DatabaseBackend", "QUEUES": ["default"]}
}


class Database:
    """The database the worker processes use, read with plain SQL (no ORM caching)."""

    def __init__(self, tmp_path: Path) -> None:
        self.sqlite_path: Path | None = None
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.sqlite_path = tmp_path / "drill.sqlite3"
            target = sqlite3.connect(self.sqlite_path)
            connection.connection.backup(target)  # the committed test database, as a file
            target.close()
            self.url = f"sqlite:///{self.sqlite_path}"
        else:
            s = connection.settings_dict
            auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
            self.url = (
                f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
            )

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path, timeout=20) as db:
                return db.execute(sql).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def delivered(self) -> int:
        return int(self.rows(DELIVERED_SQL)[0][0])


class Processes:
    """Worker and scheduler subprocesses on the drill database, always stopped at the end."""

    def __init__(self, database: Database, log_dir: Path) -> None:
        self.env = {
            **os.environ,
            "DATABASE_URL": database.url,
            "DJANGO_SETTINGS_MODULE": "yaojian.settings",
            "TASKS_BACKEND": "yaojian.core.task_queue.DatabaseBackend",
            "OUTBOX_LEASE_SECONDS": "2",
            "OUTBOX_SWEEP_SECONDS": "1",
        }
        self.log_dir = log_dir
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.running.append(process)
        return process

    def worker(self, name: str) -> subprocess.Popen[bytes]:
        return self.start(
            name, "db_worker", "--interval", "0.1", "--no-startup-delay", "--no-reload"
        )

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[list[Processes]]:
    made: list[Processes] = []
    yield made
    for group in made:
        group.stop_all()


def wait_for(condition: Any, timeout: float, what: str, database: Database, logs: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    output = "\n".join(p.read_text(errors="replace")[-3000:] for p in logs.glob("*.log"))
    outbox = database.rows(
        "SELECT status, attempts, last_error FROM outbox_message ORDER BY id DESC LIMIT 3"
    )
    tasks = database.rows(
        "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
    )
    pytest.fail(f"timed out waiting for {what}\n{outbox}\n{tasks}\n{output}")


def test_killed_worker_loses_no_hand_off_and_repeats_none(settings, regions, tmp_path, processes):
    # given: a county drug regulator, the health commission and the insurance bureau
    settings.TASKS = DB_TASKS  # enqueue into the database the real worker reads
    regulator = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.DRUG_REGULATOR, level=DepartmentLevel.COUNTY
    )
    health = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.HEALTH_COMMISSION, level=DepartmentLevel.COUNTY
    )
    insurance = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.MEDICAL_INSURANCE, level=DepartmentLevel.COUNTY
    )
    entity = EntityFactory(registered_by=regulator)
    licences = [LicenceFactory(entity=entity, issued_by=regulator) for _ in range(HANDOFFS)]
    # and 200 revocations published, each committed with its own change
    for licence in licences:
        with transaction.atomic():
            publish(
                LicenceRevoked(
                    case_id=0,
                    case_public_id=uuid.uuid4(),
                    licence_id=licence.pk,
                    entity_id=entity.pk,
                    department_id=regulator.pk,
                    region_code="540102",
                )
            )
    database = Database(tmp_path)
    assert (
        database.rows("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult")[0][0] == HANDOFFS
    )
    group = Processes(database, tmp_path)
    processes.append(group)

    # when: the worker is killed in the middle of the batch
    first = group.worker("worker-1")
    wait_for(
        lambda: database.delivered() >= HANDOFFS // 5, 60, "first deliveries", database, tmp_path
    )
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    at_kill = database.delivered()
    assert 0 < at_kill < HANDOFFS
    # and a new worker and the scheduler (its sweep takes what the dead worker held) start
    group.worker("worker-2")
    group.start("scheduler", "run_scheduler", "--interval", "0.3")
    wait_for(lambda: database.delivered() == HANDOFFS, 120, "every hand-off", database, tmp_path)

    # then: every revocation reached both departments exactly once
    notices = database.rows(
        "SELECT source_ref, recipient_id, COUNT(*) FROM notices_notice "
        "WHERE source_app = 'enforcement' GROUP BY source_ref, recipient_id"
    )
    expected_refs = {f"licence.revoked:{licence.public_id}" for licence in licences}
    assert {ref for ref, _recipient, _n in notices} == expected_refs
    assert {recipient for _ref, recipient, _n in notices} == {health.pk, insurance.pk}
    assert [n for _ref, _recipient, n in notices] == [1] * (2 * HANDOFFS)
    assert database.rows(STATUS_SQL) == [("delivered", HANDOFFS)]

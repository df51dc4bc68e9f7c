"""SQLite writers take turns on ``<database>.writer`` (yaojian/audit/db/sqlite3/base.py): the
turn is held from BEGIN IMMEDIATE to COMMIT or ROLLBACK, and a writer that cannot get it in the
busy timeout goes on to SQLite's own lock."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import Any

import pytest

from yaojian.audit.db.sqlite3.base import DatabaseWrapper


def _wrapper(path: Path, timeout: float = 5) -> Any:
    settings = {
        "ENGINE": "yaojian.audit.db.sqlite3",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout},
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    return DatabaseWrapper(settings, alias=f"turns-{path.name}")


@pytest.fixture(autouse=True)
def _unblocked(django_db_blocker: Any) -> Any:
    """These tests open their own database files, not the test database."""
    with django_db_blocker.unblock():
        yield


def _taken(path: Path) -> bool:
    fd = os.open(f"{path}.writer", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@pytest.mark.parametrize("ends", ["commit", "rollback"])
def test_the_turn_is_held_for_the_write_transaction_only(tmp_path: Path, ends: str) -> None:
    db = _wrapper(tmp_path / "a.sqlite3")
    db.ensure_connection()
    db.cursor().execute("CREATE TABLE t (v TEXT)")
    assert not _taken(tmp_path / "a.sqlite3")
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    db.cursor().execute("INSERT INTO t VALUES ('x')")
    assert _taken(tmp_path / "a.sqlite3")
    db.commit() if ends == "commit" else db.rollback()
    db.set_autocommit(True)
    assert not _taken(tmp_path / "a.sqlite3")
    db.close()


def test_a_writer_waits_for_its_turn_then_goes_on_to_sqlites_lock(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    db = _wrapper(path, timeout=0.2)
    db.ensure_connection()
    holder = os.open(f"{path}.writer", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another writer's turn, never given back
    started = time.monotonic()
    db._start_transaction_under_autocommit()  # bounded by the busy timeout
    assert 0.2 <= time.monotonic() - started < 2
    db.rollback()
    os.close(holder)
    db.close()


def test_off_and_in_memory_databases_take_no_turn(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("SQLITE_WRITER_TURNS", "0")
    assert _wrapper(tmp_path / "c.sqlite3")._turn_path() is None
    monkeypatch.delenv("SQLITE_WRITER_TURNS")
    assert _wrapper(Path(":memory:"))._turn_path() is None

"""Django's sqlite3 backend, with the audit chain's pre-commit step (yaojian.audit.db) and
writers that take turns.

**Writers take turns.** SQLite has one write lock; a connection that finds it taken sleeps in
SQLite's busy handler 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms between tries, so under
concurrent writes the lock often sits free while its waiters sleep, and an unlucky writer waits
seconds (measured: p95 of the wait 0.7–1.1 s where the mean was a few tens of ms). Before its
``BEGIN IMMEDIATE`` a connection to a database file therefore takes an exclusive ``flock`` on
``<database>.writer``, trying every 0.5–2 ms, and releases it at COMMIT or ROLLBACK (and when
the connection closes; the kernel releases it if the process dies). It is bounded: after the
database's busy timeout the connection goes on to SQLite's own lock as before, so a writer
never waits longer than it did, and nothing can deadlock on the turn. Writes outside a
transaction, and other programs, use SQLite's lock alone, as before.
``SQLITE_WRITER_TURNS=0`` turns it off; in-memory databases (the tests) never use it.
"""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db.backends.sqlite3 import base

from yaojian.audit.db import PendingAuditMixin

FIRST_PAUSE = 0.0005  # seconds between tries for the turn, doubling up to LONGEST_PAUSE
LONGEST_PAUSE = 0.002


class DatabaseWrapper(PendingAuditMixin, base.DatabaseWrapper):  # type: ignore[misc]
    """sqlite3, flushing pending audit events just before COMMIT; writers take turns."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turn_fd: int | None = None
        self._has_turn = False

    def _turn_path(self) -> str | None:
        if os.environ.get("SQLITE_WRITER_TURNS", "1") == "0" or self.is_in_memory_db():
            return None
        name = str(self.settings_dict["NAME"])
        return None if name.startswith("file:") else f"{name}.writer"

    def _take_turn(self) -> None:
        path = self._turn_path()
        if path is None:
            return
        if self._turn_fd is None:
            self._turn_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        pause = FIRST_PAUSE
        while True:
            try:
                fcntl.flock(self._turn_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return  # SQLite's own busy handling decides from here
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
                continue
            self._has_turn = True
            return

    def _end_turn(self) -> None:
        if self._has_turn and self._turn_fd is not None:
            self._has_turn = False
            fcntl.flock(self._turn_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self._take_turn()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._end_turn()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._end_turn()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._end_turn()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._end_turn()
            if self._turn_fd is not None:
                os.close(self._turn_fd)
                self._turn_fd = None

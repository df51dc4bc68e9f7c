"""Database backends that chain the audit events of a transaction just before it commits.

``settings.DATABASES`` uses ``yaojian.audit.db.postgresql`` and ``yaojian.audit.db.sqlite3``:
Django's own backends plus :class:`PendingAuditMixin`. ``audit.services.record`` appends to
``connection.audit_pending``; the mixin drops the events of a rolled-back savepoint or
transaction and, right before COMMIT, calls ``audit.services.flush_pending``, which takes the
chain lock, links the events to the chain and inserts them. (Inside a test case's transaction,
which never commits, the events are flushed when the outermost block of the code under test
ends.) See ADR 0011.
"""

from __future__ import annotations

from typing import Any


class PendingAuditMixin:
    """Keeps the open transaction's audit events and writes them in a pre-commit step."""

    atomic_blocks: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audit_pending: list[Any] = []
        self._audit_marks: dict[str, int] = {}
        self._audit_flushing = False

    def _flush_audit(self) -> None:
        if not self.audit_pending or self._audit_flushing:
            return
        from yaojian.audit.services import flush_pending

        self._audit_flushing = True
        try:
            flush_pending(self)  # type: ignore[arg-type]
        finally:
            self._audit_flushing = False

    def _forget_audit(self) -> None:
        self.audit_pending.clear()
        self._audit_marks.clear()

    def savepoint(self) -> Any:
        sid = super().savepoint()  # type: ignore[misc]
        if sid is not None:
            self._audit_marks[sid] = len(self.audit_pending)
        return sid

    def savepoint_rollback(self, sid: str) -> None:
        super().savepoint_rollback(sid)  # type: ignore[misc]
        mark = self._audit_marks.get(sid)
        if mark is not None:
            del self.audit_pending[mark:]

    def savepoint_commit(self, sid: str) -> None:
        # A test case's transaction never commits: flush when the block under test ends.
        if self.atomic_blocks and all(
            getattr(block, "_from_testcase", False) for block in self.atomic_blocks
        ):
            self._flush_audit()
        super().savepoint_commit(sid)  # type: ignore[misc]
        self._audit_marks.pop(sid, None)

    def commit(self) -> None:
        try:
            self._flush_audit()
        except Exception:
            # Fail closed: nothing of the transaction commits without its audit events (a
            # missing or unreadable key raises ImproperlyConfigured, not a database error).
            self.rollback()
            raise
        super().commit()  # type: ignore[misc]
        self._forget_audit()

    def rollback(self) -> None:
        try:
            super().rollback()  # type: ignore[misc]
        finally:
            self._forget_audit()

    def close(self) -> None:
        try:
            super().close()  # type: ignore[misc]
        finally:
            self._forget_audit()

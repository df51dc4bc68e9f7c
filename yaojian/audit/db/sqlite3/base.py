"""Django's sqlite3 backend, with the audit chain's pre-commit step (yaojian.audit.db)."""

from __future__ import annotations

from django.db.backends.sqlite3 import base

from yaojian.audit.db import PendingAuditMixin


class DatabaseWrapper(PendingAuditMixin, base.DatabaseWrapper):  # type: ignore[misc]
    """sqlite3, flushing pending audit events just before COMMIT."""

"""Django's postgresql backend, with the audit chain's pre-commit step (yaojian.audit.db)."""

from __future__ import annotations

from django.db.backends.postgresql import base

from yaojian.audit.db import PendingAuditMixin


class DatabaseWrapper(PendingAuditMixin, base.DatabaseWrapper):  # type: ignore[misc]
    """postgresql, flushing pending audit events just before COMMIT."""

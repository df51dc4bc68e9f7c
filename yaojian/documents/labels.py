"""What the documents app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "documents.document_created": _("Document generated"),
    "documents.document_downloaded": _("Document downloaded"),
}

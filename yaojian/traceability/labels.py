"""What the traceability app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "traceability.batch_started": _("Trace code upload started"),
    "traceability.batch_ingested": _("Trace codes loaded"),
    "traceability.alert_raised": _("Traceability alert raised"),
    "traceability.alert_transitioned": _("Traceability alert handled"),
    "traceability.alert_to_clue": _("Traceability alert turned into a case clue"),
    "traceability.batch_queued": _("Trace event upload queued"),
    "traceability.rejected_downloaded": _("Rejected trace rows downloaded"),
}

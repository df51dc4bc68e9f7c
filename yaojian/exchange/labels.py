"""What the exchange app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "exchange.alert_changed": _("Data-quality alert handled"),
    "exchange.entity_overwritten": _("Entity facts overwritten by an import"),
    "exchange.error_report_downloaded": _("Import error report downloaded"),
    "exchange.import_started": _("Import started"),
    "exchange.import_applied": _("Import applied"),
    "exchange.import_failed": _("Import failed"),
    "exchange.rows_applied": _("Import rows applied"),
    "exchange.source_created": _("Data source created"),
    "exchange.source_changed": _("Data source changed"),
}

"""What the linkage app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "linkage.review_queued": _("Possible match queued for review"),
    "linkage.review_confirmed": _("Match confirmed"),
    "linkage.review_rejected": _("Match rejected"),
}

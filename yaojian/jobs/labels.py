"""What the jobs app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "jobs.job_started": _("Background job started"),
    "jobs.job_succeeded": _("Background job finished"),
    "jobs.job_failed": _("Background job failed"),
    "jobs.result_downloaded": _("Job result downloaded"),
}

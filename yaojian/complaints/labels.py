"""What the complaints app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "complaints.complaint_received": _("Complaint or report received"),
    "complaints.complaint_accept": _("Complaint accepted"),
    "complaints.complaint_refuse": _("Complaint refused"),
    "complaints.complaint_transfer": _("Complaint or report transferred"),
    "complaints.complaint_end_mediation": _("Mediation ended"),
    "complaints.complaint_make_clue": _("Report turned into a case clue"),
    "complaints.complaint_not_opened": _("Closed without a case"),
    "complaints.complaint_case_opened": _("Case opened on the report"),
    "complaints.complaint_concluded": _("Case on the report decided"),
    "complaints.complaint_close": _("Complaint or report closed"),
    "complaints.complaint_penalty_changed": _("Penalty behind the report changed or revoked"),
    "complaints.complaint_dispute": _("Dispute recorded"),
    "complaints.complaint_dispute_settled": _("Dispute settled"),
    "complaints.complaint_parties_notified": _("Parties notified"),
    "complaints.complaint_published": _("Complaint or report published"),
    "complaints.complaint_reporter_told": _("Reporter told the outcome"),
    "complaints.complaint_testing": _("Testing or inspection ordered"),
    "complaints.complaint_escalated": _("Overdue complaint escalated"),
    "complaints.reporter_viewed": _("Reporter's identity viewed"),
    "complaints.reward_proposed": _("Reward proposed"),
    "complaints.reward_approved": _("Reward approved"),
    "complaints.reward_rejected": _("Reward rejected"),
    "complaints.reward_claimed": _("Reward claimed"),
    "complaints.reward_paid": _("Reward paid"),
    "complaints.complaint_assign": _("Handling officer assigned"),
    "complaints.notice_downloaded": _("Acceptance or refusal notice downloaded"),
    "complaints.notice_issued": _("Acceptance or refusal notice issued"),
}

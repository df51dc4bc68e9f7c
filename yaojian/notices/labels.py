"""What the notices app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "notices.notice_sent": _("Notice sent"),
    "notices.notice_read": _("Notice read"),
    "notices.notice_acknowledged": _("Notice acknowledged"),
    "notices.notice_answered": _("Notice answered"),
    "notices.notice_closed": _("Notice closed"),
    "notices.notice_escalated": _("Overdue notice escalated"),
    "notices.due_recomputed": _("Notice due date recomputed"),
    "notices.personal_data_read": _("Personal data in a notice viewed"),
    "notices.problem_recorded": _("Problem recorded"),
    "notices.routing_rule_created": _("Routing rule created"),
    "notices.routing_rule_changed": _("Routing rule changed"),
}

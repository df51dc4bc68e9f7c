"""Hand-offs in words: the event and the receiving step a person reads on the outbox pages
(issue 9 item 2: no internal code where a person reads). An event or handler not listed here
(a newer app's) is shown by its code, as before."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "CaseFiled": _("Case filed"),
    "CaseDecided": _("Case decided"),
    "CaseClosed": _("Case closed"),
    "LicenceRevoked": _("Licence revoked"),
    "DecisionChanged": _("Decision changed, revoked or void"),
    "ReferralMade": _("Case transferred to the police"),
    "ReferralAnswered": _("Police answer to a referral"),
    "LinkReviewResolved": _("Link review decided"),
    "CalendarChanged": _("Holiday schedule changed"),
    "BatchApplied": _("Import applied"),
    "InspectionPassed": _("Inspection passed"),
    "EntityRegisteredByHand": _("Entity registered by hand"),
    "ComplaintReceived": _("Complaint or report received"),
    "ComplaintTransferred": _("Complaint or report transferred"),
    "ComplaintOverdue": _("Complaint or report overdue"),
    "ComplaintSubstantiated": _("Report substantiated by a penalty decision"),
}

HANDLER_LABELS = {
    "enforcement.handlers.on_case_filed": _("Notify the joint-case departments"),
    "enforcement.handlers.on_case_decided": _("Notify the joint-case departments"),
    "enforcement.handlers.on_case_closed": _("Notify the joint-case departments"),
    "enforcement.handlers.on_licence_revoked": _("Notify the departments concerned"),
    "enforcement.handlers.on_calendar_changed": _("Recompute case deadlines"),
    "notices.handlers.on_calendar_changed": _("Recompute notice deadlines"),
    "referrals.handlers.notify_police": _("Notify the police"),
    "referrals.handlers.notify_referring_department": _("Notify the referring department"),
    "referrals.handlers.warn_on_penalty_instead_of_transfer": _(
        "Warn of a fine instead of a transfer"
    ),
    "portal.handlers.on_case_decided": _("Queue the penalty information for publication"),
    "portal.handlers.on_decision_changed": _("Withdraw or replace the published information"),
    "exchange.handlers.on_link_review_resolved": _("Apply the held import row"),
    "credit.handlers.on_case_decided": _("Record the penalties on the credit file"),
    "credit.handlers.on_decision_changed": _("Withdraw the credit records of the decision"),
    "inspections.handlers.place_imported_entities": _("Place the imported entities in grid cells"),
    "inspections.handlers.place_registered_entity": _("Place the new entity in its grid cell"),
    "inspections.handlers.record_passed_inspection": _(
        "Record the passed inspection on the credit file"
    ),
    "complaints.handlers.notify_transfer": _("Notify the department the matter is transferred to"),
    "complaints.handlers.notify_also": _("Notify the other departments concerned"),
    "complaints.handlers.webhook_received": _("Send the webhook of a new complaint"),
    "complaints.handlers.escalate": _("Escalate the overdue complaint to the office above"),
    "complaints.handlers.on_case_filed": _("Tell the report that its case was filed"),
    "complaints.handlers.on_case_decided": _("Tell the report the case's decision"),
    "complaints.handlers.on_case_closed": _("Tell the report that its case was closed"),
    "complaints.handlers.record_substantiated_on_credit": _(
        "Record the substantiated report on the entity's credit file"
    ),
}


def event_label(event_name: str) -> str:
    return str(EVENT_LABELS.get(event_name, event_name))


def handler_label(handler: str) -> str:
    short = handler.removeprefix("yaojian.")
    return str(HANDLER_LABELS.get(short, short))


# What the app writes to the audit trail, in words (core.labels, ADR 0026).
AUDIT_ACTIONS = {
    "outbox.message_replayed": _("Hand-off sent again"),
}

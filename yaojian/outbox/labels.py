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
}


def event_label(event_name: str) -> str:
    return str(EVENT_LABELS.get(event_name, event_name))


def handler_label(handler: str) -> str:
    short = handler.removeprefix("yaojian.")
    return str(HANDLER_LABELS.get(short, short))

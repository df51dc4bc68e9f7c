"""What the credit app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "credit.listing_proposed": _("Listing proposed"),
    "credit.listing_approved": _("Listing approved"),
    "credit.listing_refused": _("Listing refused"),
    "credit.listing_published": _("Listing published"),
    "credit.listing_publication_stopped": _("Listing's publication stopped"),
    "credit.listing_relisted": _("Listed again"),
    "credit.listing_removal_accepted": _("Removal from the list accepted"),
    "credit.listing_removal_applied": _("Removal from the list applied for"),
    "credit.listing_removal_refused": _("Removal from the list refused"),
    "credit.listing_removed": _("Removed from the list"),
    "credit.measure_recorded": _("Joint punishment measure recorded"),
    "credit.record_added": _("Credit record added"),
    "credit.record_withdrawn": _("Credit record withdrawn"),
    "credit.repair_applied": _("Credit repair applied for"),
    "credit.repair_decided": _("Credit repair decided"),
    "credit.restriction_overridden": _("Credit restriction overridden"),
    "credit.rule_set_saved": _("Credit grading rules saved"),
    "credit.decision_recorded": _("Honour or commitment-based approval decision recorded"),
}

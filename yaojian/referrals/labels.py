"""What the referrals app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "referrals.referral_reported": _("Transfer report written"),
    "referrals.referral_decide": _("Transfer decided"),
    "referrals.referral_transfer": _("Case transferred to the police"),
    "referrals.referral_receipt": _("Receipt signed by the police"),
    "referrals.referral_forward": _("Forwarded to the competent police department"),
    "referrals.referral_answer": _("Police answer to a referral"),
    "referrals.referral_request_reconsideration": _("Reconsideration requested"),
    "referrals.referral_decide_reconsideration": _("Reconsideration decided"),
    "referrals.referral_request_supervision": _("Procuratorate asked to supervise"),
    "referrals.referral_hand_over": _("Seized items and materials handed over"),
    "referrals.bundle_exported": _("Transfer file exported"),
    "referrals.substitution_warned": _("Warned of a fine instead of a transfer"),
}

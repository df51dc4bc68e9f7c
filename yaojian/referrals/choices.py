"""Choices of the referrals app, and the state machine of a referral (DOMAIN.md §2.7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReferralState(models.TextChoices):
    """Where a referral stands."""

    REPORTED = "reported", _("Transfer report awaiting the head's decision")
    REFUSED = "refused", _("Transfer refused by the head")
    APPROVED = "approved", _("Approved, to be transferred")
    TRANSFERRED = "transferred", _("Transferred, awaiting the police receipt")
    RECEIVED = "received", _("Received by the police, under review")
    ACCEPTED = "accepted", _("Police opened a case")
    DECLINED = "declined", _("Police declined to open a case")
    RECONSIDERATION = "reconsideration", _("Reconsideration requested")
    UPHELD = "upheld", _("Police upheld the refusal")
    SUPERVISION = "supervision", _("Procuratorate asked to supervise")
    HANDED_OVER = "handed_over", _("Seized items and materials handed over")
    CLOSED = "closed", pgettext_lazy("referral state", "Closed")


class PoliceComplexity(models.TextChoices):
    """How long the police may take to decide whether to open a case (2023 joint rules)."""

    ORDINARY = "ordinary", _("Ordinary (3 days)")
    COMPLEX = "complex", _("Complex (10 days)")
    MAJOR = "major", _("Major and complex, with approval (30 days)")


class ReferralAction(models.TextChoices):
    """The steps of a referral; each is one service and one form."""

    DECIDE = "decide", _("Decide on the transfer")
    TRANSFER = "transfer", _("Transfer to the police")
    RECEIPT = "receipt", _("Sign the receipt")
    FORWARD = "forward", _("Forward to the competent police department")
    ANSWER = "answer", _("Answer: open a case or decline")
    REQUEST_RECONSIDERATION = "request_reconsideration", _("Request reconsideration")
    DECIDE_RECONSIDERATION = "decide_reconsideration", _("Decide on the reconsideration")
    REQUEST_SUPERVISION = "request_supervision", _("Ask the procuratorate to supervise")
    HAND_OVER = "hand_over", _("Hand over seized items and materials")


# action -> (states it starts from, who acts: "agency" or "police")
ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    ReferralAction.DECIDE: (frozenset({ReferralState.REPORTED}), "head"),
    ReferralAction.TRANSFER: (frozenset({ReferralState.APPROVED}), "agency"),
    ReferralAction.RECEIPT: (frozenset({ReferralState.TRANSFERRED}), "police"),
    ReferralAction.FORWARD: (frozenset({ReferralState.RECEIVED}), "police"),
    ReferralAction.ANSWER: (frozenset({ReferralState.RECEIVED}), "police"),
    ReferralAction.REQUEST_RECONSIDERATION: (frozenset({ReferralState.DECLINED}), "agency"),
    ReferralAction.DECIDE_RECONSIDERATION: (frozenset({ReferralState.RECONSIDERATION}), "police"),
    ReferralAction.REQUEST_SUPERVISION: (frozenset({ReferralState.UPHELD}), "agency"),
    ReferralAction.HAND_OVER: (frozenset({ReferralState.ACCEPTED}), "agency"),
}

OPEN_STATES = frozenset(
    {
        ReferralState.REPORTED,
        ReferralState.APPROVED,
        ReferralState.TRANSFERRED,
        ReferralState.RECEIVED,
        ReferralState.DECLINED,
        ReferralState.RECONSIDERATION,
        ReferralState.UPHELD,
        ReferralState.ACCEPTED,
    }
)
# States in which the police department has the referral (they may see it).
POLICE_STATES = frozenset(
    {
        ReferralState.TRANSFERRED,
        ReferralState.RECEIVED,
        ReferralState.ACCEPTED,
        ReferralState.DECLINED,
        ReferralState.RECONSIDERATION,
        ReferralState.UPHELD,
        ReferralState.SUPERVISION,
        ReferralState.HANDED_OVER,
        ReferralState.CLOSED,
    }
)

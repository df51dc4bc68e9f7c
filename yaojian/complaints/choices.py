"""Choices of the complaints app and the state machine of a complaint or report."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint (consumer dispute)")
    REPORT = "report", _("Report of a violation")


class Channel(models.TextChoices):
    WEB = "web", _("Public website")
    PHONE = "phone", _("Telephone")
    LETTER = "letter", _("Letter or visit")
    HOTLINE_12345 = "12345", _("12345 hotline hand-off")
    HOTLINE_12315 = "12315", _("12315 platform hand-off")
    DEPARTMENT = "department", _("Received from another department")


class Topic(models.TextChoices):
    """What the matter is about; decides whose remit it is (``routing.REMIT``)."""

    DRUG_QUALITY = "drug_quality", _("Drug quality (counterfeit or substandard)")
    RECYCLED_DRUGS = "recycled_drugs", _("Insured drugs bought back and resold (回流药)")
    UNLICENSED = "unlicensed", _("Selling without a licence")
    PRESCRIPTION = "prescription", _("Prescription drugs sold without a prescription")
    DEVICES_COSMETICS = "devices_cosmetics", _("Medical devices or cosmetics")
    ADVERTISING = "advertising", _("False advertising")
    PRICE_SERVICE = "price_service", _("Price or service dispute")
    INSURANCE_FRAUD = "insurance_fraud", _("Medical insurance fraud")
    MEDICAL_SERVICE = "medical_service", _("Medical treatment in a hospital or clinic")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    RECEIVED = "received", _("Received, awaiting a decision")
    ACCEPTED = "accepted", _("Accepted, in mediation")
    REFUSED = "refused", _("Not accepted")
    MEDIATED = "mediated", _("Mediation reached an agreement")
    MEDIATION_ENDED = "mediation_ended", _("Mediation ended without agreement")
    CLUE = "clue", _("Passed to enforcement as a case clue")
    CASE_OPENED = "case_opened", _("Case opened")
    NOT_OPENED = "not_opened", _("No case opened")
    CONCLUDED = "concluded", _("Case decided")
    CLOSED = "closed", pgettext_lazy("complaint state", "Closed")
    TRANSFERRED = "transferred", _("Transferred to the competent department")
    DUPLICATE = "duplicate", _("Linked to an earlier submission")


class Action(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REFUSE = "refuse", _("Refuse")
    TRANSFER = "transfer", _("Transfer to another department's remit")
    END_MEDIATION = "end_mediation", _("End the mediation")
    MAKE_CLUE = "make_clue", _("Turn into a case clue")
    NOT_OPENED = "not_opened", _("Close without a case")
    CASE_OPENED = "case_opened", _("Case opened")
    CONCLUDED = "concluded", _("Case decided")
    CLOSE = "close", _("Close")


# action -> (kinds it applies to, states it starts from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], frozenset[str], str]] = {
    Action.ACCEPT: (frozenset({Kind.COMPLAINT}), frozenset({State.RECEIVED}), State.ACCEPTED),
    Action.REFUSE: (frozenset({Kind.COMPLAINT}), frozenset({State.RECEIVED}), State.REFUSED),
    Action.TRANSFER: (frozenset(Kind.values), frozenset({State.RECEIVED}), State.TRANSFERRED),
    Action.END_MEDIATION: (
        frozenset({Kind.COMPLAINT}),
        frozenset({State.ACCEPTED}),
        State.MEDIATION_ENDED,  # or MEDIATED when agreed
    ),
    Action.MAKE_CLUE: (frozenset({Kind.REPORT}), frozenset({State.RECEIVED}), State.CLUE),
    Action.NOT_OPENED: (
        frozenset({Kind.REPORT}),
        frozenset({State.RECEIVED, State.CLUE}),
        State.NOT_OPENED,
    ),
    Action.CASE_OPENED: (frozenset({Kind.REPORT}), frozenset({State.CLUE}), State.CASE_OPENED),
    Action.CONCLUDED: (
        frozenset({Kind.REPORT}),
        frozenset({State.CLUE, State.CASE_OPENED}),
        State.CONCLUDED,
    ),
    Action.CLOSE: (
        frozenset(Kind.values),
        frozenset({State.CONCLUDED, State.CASE_OPENED}),
        State.CLOSED,
    ),
}

OPEN_STATES = frozenset({State.RECEIVED, State.ACCEPTED, State.CLUE, State.CASE_OPENED})
FINAL_STATES = frozenset(State.values) - OPEN_STATES


class RefusalGround(models.TextChoices):
    """Grounds for not accepting a complaint (总局令第20号 第15条)."""

    OUTSIDE_REMIT = "outside_remit", _("Outside the remit of this office")
    HANDLED_ELSEWHERE = (
        "handled_elsewhere",
        _("Already handled by a court, an arbitrator or another body"),
    )
    NOT_CONSUMPTION = "not_consumption", _("Not for daily consumption (e.g. professional claims)")
    TOO_LATE = "too_late", _("More than three years since the complainant knew of it")
    MISSING_MATERIALS = (
        "missing_materials",
        _("Missing materials: name, contact, respondent, claim or facts"),
    )
    OTHER = "other", _("Other ground stated in the reasons")


class NoticeKind(models.TextChoices):
    """The written notices a complainant receives (第14条, 第15条)."""

    ACCEPTANCE = "acceptance", _("Notice of acceptance")
    REFUSAL = "refusal", _("Notice of non-acceptance")


class OutcomeKind(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Violation confirmed and punished")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
    MEDIATED = "mediated", _("Resolved by mediation")
    MEDIATION_FAILED = "mediation_failed", _("Mediation failed")
    REFUSED = "refused", _("Not accepted")
    TRANSFERRED = "transferred", _("Transferred")


class RewardState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting approval")
    APPROVED = "approved", _("Approved, awaiting the reporter's claim")
    CLAIMED = "claimed", _("Claimed by the reporter")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class RewardTier(models.TextChoices):
    FIRST = "1", _("Tier 1: key evidence, fully confirmed (5 %)")
    SECOND = "2", _("Tier 2: important evidence, largely confirmed (3 %)")
    THIRD = "3", _("Tier 3: useful lead, partly confirmed (1 %)")

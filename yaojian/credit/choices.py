"""Choices of credit: record kinds, grades, actions checked, listing and repair states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    """What a credit record is about (issue 11 §1)."""

    PENALTY = "penalty", _("Administrative penalty")
    HEAVY_PENALTY = "heavy_penalty", _("Heavier administrative penalty")
    PRACTICE_BAN = "practice_ban", _("Ban on business or practice")
    INSURANCE_MEASURE = "insurance_measure", _("Medical-insurance measure")
    INSURANCE_TERMINATION = "insurance_termination", _("Insurance agreement terminated")
    PERSONNEL_POINTS = "personnel_points", _("Insurance personnel points")
    HEALTH_FINDING = "health_finding", _("Health-commission finding")
    CRIMINAL_OUTCOME = "criminal_outcome", _("Criminal outcome returned by the police")
    SERIOUS_DISHONESTY = "serious_dishonesty", _("Serious-dishonesty listing")
    COMMITMENT = "commitment", _("Credit commitment")
    COMMITMENT_BREACH = "commitment_breach", _("Breach of a credit commitment")
    CLEAN_YEAR = "clean_year", _("A year without violation")
    INSPECTION_PASSED = "inspection_passed", _("Inspection passed")
    TRAINING = "training", _("Training attended")


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REPAIRED = "repaired", _("Repaired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RecordOrigin(models.TextChoices):
    EVENT = "event", _("Enforcement decision")
    UI = "ui", _("Entered by an officer")
    API = "api", _("Application programming interface")
    IMPORT = "import", _("Data import")
    LISTING = "listing", _("Serious-dishonesty list")


class Grade(models.TextChoices):
    A = "A", _("A (good credit)")
    B = "B", _("B (ordinary credit)")
    C = "C", _("C (poor credit)")
    D = "D", _("D (serious dishonesty)")


GRADE_RANK = {"A": 1, "B": 2, "C": 3, "D": 4}


class Action(models.TextChoices):
    """Decisions at which restrictions are checked (处处受限)."""

    LICENCE_ISSUE = "licence.issue", _("Issue a licence")
    LICENCE_RENEW = "licence.renew", _("Renew a licence")
    INSURANCE_DESIGNATE = "insurance.designate", _("Sign or renew an insurance designation")
    LICENCE_HOLDER_CHANGE = "licence.holder_change", _("File a licence-holder change")
    PERSON_APPOINT = "person.appoint", _("Name a legal representative or licensed pharmacist")
    HONOUR = "honour", _("Grant an honour")
    COMMITMENT = "commitment", _("Use the notification-and-commitment procedure")


# The decisions recorded on credit's own page (honours, 告知承诺制); the others are the registry's.
CHECKED_DECISION_CHOICES = [
    (Action.HONOUR.value, Action.HONOUR.label),
    (Action.COMMITMENT.value, Action.COMMITMENT.label),
]


class ListingState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    REMOVAL_APPLIED = "removal_applied", _("Removal applied for")
    REMOVED = "removed", _("Removed")
    REFUSED = "refused", _("Refused")


LISTING_TRANSITIONS: dict[str, set[str]] = {
    ListingState.PROPOSED: {ListingState.APPROVED, ListingState.REFUSED},
    ListingState.APPROVED: {ListingState.PUBLISHED},
    ListingState.PUBLISHED: {ListingState.REMOVAL_APPLIED, ListingState.REMOVED},
    ListingState.REMOVAL_APPLIED: {ListingState.PUBLISHED, ListingState.REMOVED},
    ListingState.REMOVED: {ListingState.PROPOSED},
    ListingState.REFUSED: set(),
}
LISTED_STATES = frozenset(
    {ListingState.APPROVED, ListingState.PUBLISHED, ListingState.REMOVAL_APPLIED}
)


class RemovalKind(models.TextChoices):
    EXPIRED = "expired", _("Three years passed")
    EARLY = "early", _("Early removal on application")
    PENALTY_REVOKED = "penalty_revoked", _("The penalty was revoked")


class RepairState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class LedgerState(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    APPLIED = "applied", _("Applied")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")

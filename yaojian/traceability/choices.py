"""Choices and the alert state machine of the traceability app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rule(models.TextChoices):
    R1 = "R1", _("Repeat settlement")
    R2 = "R2", _("Sold before stocked")
    R3 = "R3", _("Never delivered")
    R4 = "R4", _("Geographic jump")
    R6 = "R6", _("Implausible buyer")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AlertStatus(models.TextChoices):
    NEW = "new", _("New")
    INVESTIGATING = "investigating", _("Under investigation")
    ESCALATED = "escalated", _("Escalated")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    CONFIRMED_FRAUD = "confirmed_fraud", _("Confirmed fraud")
    FALSE_POSITIVE_SPLIT = "fp_split_pack", _("False positive: split-pack dispensing")
    FALSE_POSITIVE_REVERSAL = "fp_reversal", _("False positive: reversal")
    FALSE_POSITIVE_RESCAN = "fp_rescan", _("False positive: failed settlement scanned again")
    FALSE_POSITIVE_RETURN = "fp_return", _("False positive: returned up the chain")
    FALSE_POSITIVE_CLOCK = "fp_clock", _("False positive: scanner clock drift")
    FALSE_POSITIVE_DATA = "fp_data_error", _("False positive: data error")
    REFERRED = "referred", _("Handed over as an enforcement clue")


FALSE_POSITIVE_REASONS = frozenset(r for r in CloseReason.values if r.startswith("fp_"))

ALERT_TRANSITIONS: dict[str, frozenset[str]] = {
    AlertStatus.NEW: frozenset({AlertStatus.INVESTIGATING, AlertStatus.CLOSED}),
    AlertStatus.INVESTIGATING: frozenset({AlertStatus.ESCALATED, AlertStatus.CLOSED}),
    AlertStatus.ESCALATED: frozenset({AlertStatus.CLOSED}),
    AlertStatus.CLOSED: frozenset(),
}

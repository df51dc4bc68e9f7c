"""Choices of the linkage app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewState(models.TextChoices):
    """Where a queued link stands."""

    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


# A pending review is decided once; decided reviews are final.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ReviewState.PENDING: {ReviewState.CONFIRMED, ReviewState.REJECTED},
    ReviewState.CONFIRMED: set(),
    ReviewState.REJECTED: set(),
}

"""Choices of the linkage app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReviewState(models.TextChoices):
    """Where a queued link stands (labels in their own context: "Pending" of a link review is
    not "Pending" of an outbox message)."""

    PENDING = "pending", pgettext_lazy("link review state", "Awaiting review")
    CONFIRMED = "confirmed", pgettext_lazy("link review state", "Link confirmed")
    REJECTED = "rejected", pgettext_lazy("link review state", "Link rejected")


# What each comparison of the explanation is called on pages (the engine's labels are stable
# identifiers).
COMPARISON_LABELS = {
    "name": _("Name"),
    "branch": _("Branch"),
    "address": _("Address"),
    "region": _("Region"),
    "credit_code": _("Unified social credit code"),
    "legal_representative": _("Legal representative"),
    "licence": _("Licence number"),
}


# A pending review is decided once; decided reviews are final.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ReviewState.PENDING: {ReviewState.CONFIRMED, ReviewState.REJECTED},
    ReviewState.CONFIRMED: set(),
    ReviewState.REJECTED: set(),
}


# The apps that queue reviews, in words (``LinkReview.source_app``); an unknown app (an API
# caller's own name) is shown as it is.
SOURCE_LABELS = {
    "exchange": _("Data import"),
    "api": _("API"),
    "linkage": _("Reconciled lists"),
}

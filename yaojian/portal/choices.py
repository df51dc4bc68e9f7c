"""Choices of the portal: publication states (with their transitions) and display rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PublicationStatus(models.TextChoices):
    """Where one publication of penalty information stands (DOMAIN.md §2.4)."""

    DRAFT = "draft", pgettext_lazy("publication status", "To publish")
    PUBLISHED = "published", pgettext_lazy("publication status", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("publication status", "Withdrawn")
    EXPIRED = "expired", pgettext_lazy("publication status", "Expired")
    STOPPED = "stopped", pgettext_lazy("publication status", "Stopped early")


PUBLICATION_TRANSITIONS: dict[str, set[str]] = {
    PublicationStatus.DRAFT: {PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN},
    PublicationStatus.PUBLISHED: {
        PublicationStatus.WITHDRAWN,
        PublicationStatus.EXPIRED,
        PublicationStatus.STOPPED,
    },
    PublicationStatus.WITHDRAWN: set(),
    PublicationStatus.EXPIRED: set(),
    PublicationStatus.STOPPED: set(),
}

# States in which the information is (or will be) before the public: a change of the decision
# must reach these.
OPEN_STATUSES = (PublicationStatus.DRAFT, PublicationStatus.PUBLISHED)


class DisplayRule(models.TextChoices):
    """How long published information stays on the portal (规定 第13条)."""

    THREE_MONTHS = "three_months", _("3 months (public criticism or a low fine)")
    THREE_YEARS = "three_years", _("3 years")
    RESTRICTION_TERM = "restriction_term", _("The term of the restriction (over 3 years)")


class EarlyStopCondition(models.TextChoices):
    """The four conditions of 规定 第14条, all needed to stop a publication early."""

    PENALTY_PERFORMED = "penalty_performed", _("The penalty has been complied with.")
    HARM_REMEDIED = "harm_remedied", _("The harmful consequences have been remedied.")
    NO_REPEAT_PENALTY = "no_repeat_penalty", _("No further penalty for the same type of violation.")
    NOT_ON_DISHONESTY_LIST = (
        "not_on_dishonesty_list",
        _("The party is not on the list of seriously illegal and dishonest entities."),
    )


class DecisionChange(models.TextChoices):
    """The kinds of change of a decision that ``DecisionChanged`` carries."""

    CHANGED = "changed", _("The decision was changed.")
    REVOKED = "revoked", _("The decision was revoked.")
    VOID = "void", _("The decision was declared void.")

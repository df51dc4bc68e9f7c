"""Choices of the notices app: notice states (with the transitions table), routing levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NoticeState(models.TextChoices):
    """Where a notice stands in the recipient department's inbox."""

    UNREAD = "unread", pgettext_lazy("notice state", "Unread")
    READ = "read", pgettext_lazy("notice state", "Read")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("notice state", "Acknowledged")
    ANSWERED = "answered", pgettext_lazy("notice state", "Answered")
    CLOSED = "closed", pgettext_lazy("notice state", "Closed")


# unread → read → acknowledged → answered → closed; nothing goes back.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    NoticeState.UNREAD: {NoticeState.READ},
    NoticeState.READ: {NoticeState.ACKNOWLEDGED},
    NoticeState.ACKNOWLEDGED: {NoticeState.ANSWERED},
    NoticeState.ANSWERED: {NoticeState.CLOSED},
    NoticeState.CLOSED: set(),
}

# States in which the recipient still owes an answer (the clock runs).
OPEN_STATES = frozenset({NoticeState.UNREAD, NoticeState.READ, NoticeState.ACKNOWLEDGED})


class TargetLevel(models.TextChoices):
    """Which department of the target kind a routing rule picks, seen from the problem's region."""

    SAME = "same", _("Same region")
    CITY = "city", _("The city")
    PROVINCE = "province", _("The province")


class PersonRole(models.TextChoices):
    """Whose personal data a problem carries."""

    PATIENT = "patient", _("Patient")
    INSURED = "insured", _("Insured person")
    COMPLAINANT = "complainant", _("Complainant")
    OTHER = "other", pgettext_lazy("person role", "Other")


class NoticeEventKind(models.TextChoices):
    """What happened to a notice: who saw what, and when."""

    SENT = "sent", _("Sent")
    VIEWED = "viewed", _("Viewed")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("notice event", "Acknowledged")
    ANSWERED = "answered", pgettext_lazy("notice event", "Answered")
    CLOSED = "closed", pgettext_lazy("notice event", "Closed")
    ESCALATED = "escalated", _("Escalated")

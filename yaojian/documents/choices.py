"""Choices of the documents app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """The kinds of document the platform generates (each has a layout in ``layouts``)."""

    CASE_FILING_APPROVAL = "case_filing_approval", _("Case filing approval form")
    PENALTY_NOTICE = "penalty_notice", _("Notice of proposed administrative penalty")
    PENALTY_DECISION = "penalty_decision", _("Administrative penalty decision")
    REFERRAL_LETTER = "referral_letter", _("Letter transferring a suspected crime")

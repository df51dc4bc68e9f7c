"""Choices of the inspections app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    """The risk rating of an entity (PIC/S PI 037-1 style: low, medium, high)."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class PlanKind(models.TextChoices):
    """Annual plan or ad-hoc (special) plan."""

    ANNUAL = "annual", _("Annual plan")
    AD_HOC = "ad_hoc", _("Ad-hoc plan")


class PlanState(models.TextChoices):
    """Where a plan is."""

    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In progress")
    CLOSED = "closed", _("Closed")


class InspectionKind(models.TextChoices):
    """What is checked on site: each kind has its checklist (``checklists``)."""

    GSP_PHARMACY = "gsp_pharmacy", _("GSP check of a pharmacy")
    GSP_WHOLESALE = "gsp_wholesale", _("GSP check of a wholesaler")
    MEDICAL_USE = "medical_use", _("Use quality at a medical institution")
    COLD_CHAIN = "cold_chain", _("Cold chain check")
    TIBETAN_PREPARATION = "tibetan_preparation", _("Tibetan-medicine preparation check")


class InspectionState(models.TextChoices):
    """Where an inspection is."""

    PLANNED = "planned", _("Planned")
    RECORDED = "recorded", _("Recorded, to publish")
    PUBLISHED = "published", _("Published")


class Conclusion(models.TextChoices):
    """The inspection's conclusion."""

    PASSED = "passed", _("Compliant")
    FINDINGS = "findings", _("Compliant with findings to correct")
    FAILED = "failed", _("Not compliant")


class Severity(models.TextChoices):
    """How serious a finding is (严重缺陷 / 主要缺陷 / 一般缺陷)."""

    CRITICAL = "critical", _("Critical")
    MAJOR = "major", _("Major")
    OTHER = "other", _("Other")


class Remit(models.TextChoices):
    """Whose remit a finding falls in."""

    OWN = "", _("Our department")
    HEALTH = "health_commission", _("Health commission")
    INSURANCE = "medical_insurance", _("Medical insurance bureau")
    MARKET = "market_regulator", _("Market regulator")
    DRUG = "drug_regulator", _("Drug regulator")


class Answer(models.TextChoices):
    """An answer to a checklist item."""

    YES = "yes", _("Compliant")
    NO = "no", _("Not compliant")
    NOT_APPLICABLE = "na", _("Not applicable")


class SampleState(models.TextChoices):
    """Where a sample is: at the laboratory, or with its result."""

    AT_LAB = "at_lab", _("At the laboratory")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")

"""Choices of the accounts app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    """Which authority a department is."""

    DRUG_REGULATOR = "drug_regulator", _("Drug regulator")
    MARKET_REGULATOR = "market_regulator", _("Market regulator")
    HEALTH_COMMISSION = "health_commission", _("Health commission")
    MEDICAL_INSURANCE = "medical_insurance", _("Medical insurance bureau")
    PUBLIC_SECURITY = "public_security", _("Public security")
    CULTURE_TOURISM = "culture_tourism", _("Culture and tourism")
    OTHER = "other", _("Other")


class DepartmentLevel(models.TextChoices):
    """Administrative level of a department."""

    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class Role(models.TextChoices):
    """What a member of a department does there; each role grants a set of permissions."""

    INSPECTOR = "inspector", _("Inspector")
    CASE_OFFICER = "case_officer", _("Case officer")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    DATA_STEWARD = "data_steward", _("Data steward")
    LEADER = "leader", _("Leader")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")
    LEGAL_REVIEWER = "legal_reviewer", _("Legal reviewer")


class ShareKind(models.TextChoices):
    """Kinds of department-owned data that a ShareGrant can open to another department."""

    REGISTRY = "registry", _("Registry records")
    LICENCES = "licences", _("Licences")
    PERSONAL_DATA = "personal_data", _("Personal data")

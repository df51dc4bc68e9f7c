"""Choices of the registry app (一户一档)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityKind(models.TextChoices):
    """What kind of regulated entity (监管对象) this is."""

    MANUFACTURER = "manufacturer", _("Drug manufacturer")
    WHOLESALER = "wholesaler", _("Drug wholesaler")
    RETAIL_CHAIN_HQ = "retail_chain_hq", _("Retail chain headquarters")
    CHAIN_STORE = "chain_store", _("Chain store")
    SINGLE_PHARMACY = "single_pharmacy", _("Single pharmacy")
    HOSPITAL = "hospital", _("Medical institution")
    CLINIC = "clinic", _("Clinic")
    ONLINE_PLATFORM = "online_platform", _("Online platform")
    TIBETAN_MEDICINE = "tibetan_medicine", _("Tibetan-medicine business")
    DEVICE_BUSINESS = "device_business", _("Medical-device business")
    COSMETICS_BUSINESS = "cosmetics_business", _("Cosmetics business")
    OTHER = "other", _("Other")


class EntityStatus(models.TextChoices):
    """Operating status of an entity."""

    ACTIVE = "active", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")
    REVOKED = "revoked", _("Revoked")


class LicenceKind(models.TextChoices):
    """Licences and agreements that entities hold."""

    DRUG_MANUFACTURING = "drug_manufacturing", _("Drug manufacturing licence")
    DRUG_DISTRIBUTION = "drug_distribution", _("Drug distribution licence")
    MEDICAL_PRACTICE = "medical_practice", _("Medical-institution practice licence")
    HOSPITAL_PREPARATION = "hospital_preparation", _("Hospital preparation licence")
    INSURANCE_AGREEMENT = "insurance_agreement", _("Insurance designation agreement")
    DEVICE_DISTRIBUTION = "device_distribution", _("Medical-device distribution licence")
    DEVICE_FILING = "device_filing", _("Medical-device distribution filing")
    ONLINE_SERVICE = "online_service", _("Online drug information service certificate")
    OTHER = "other", _("Other licence")


class LicenceStatus(models.TextChoices):
    """Status of a licence."""

    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


LICENCE_TRANSITIONS: dict[str, set[str]] = {
    LicenceStatus.VALID: {
        LicenceStatus.SUSPENDED,
        LicenceStatus.REVOKED,
        LicenceStatus.EXPIRED,
        LicenceStatus.CANCELLED,
    },
    LicenceStatus.SUSPENDED: {
        LicenceStatus.VALID,
        LicenceStatus.REVOKED,
        LicenceStatus.EXPIRED,
        LicenceStatus.CANCELLED,
    },
    LicenceStatus.EXPIRED: {LicenceStatus.VALID},
    LicenceStatus.REVOKED: set(),
    LicenceStatus.CANCELLED: set(),
}


class ProductKind(models.TextChoices):
    """Drug, device or cosmetic."""

    DRUG = "drug", _("Drug")
    DEVICE = "device", _("Medical device")
    COSMETIC = "cosmetic", _("Cosmetic")


class DrugCategory(models.TextChoices):
    """Category letter of a 批准文号."""

    CHEMICAL = "H", _("Chemical drug")
    TCM = "Z", _("Traditional Chinese medicine")
    BIOLOGICAL = "S", _("Biological product")
    HEALTH = "B", _("Health drug (legacy)")
    DIAGNOSTIC = "T", _("In-vitro chemical diagnostic (legacy)")
    EXCIPIENT = "F", _("Pharmaceutical excipient (legacy)")
    IMPORTED_PACKAGED = "J", _("Imported, packaged in China (legacy)")


class ApprovalScheme(models.TextChoices):
    """Which numbering scheme a drug approval number follows."""

    REG_2020 = "reg_2020", _("2020 registration rules")
    LEGACY_2002 = "legacy_2002", _("2002 unified renumbering")
    HOSPITAL_PREPARATION = "hospital_preparation", _("Hospital preparation")
    OTHER = "other", _("Other")


class ApprovalOrigin(models.TextChoices):
    """Where an approved drug is made."""

    DOMESTIC = "domestic", _("Mainland China")
    HMT = "hmt", _("Hong Kong, Macao, Taiwan")
    FOREIGN = "foreign", _("Abroad")


class RiskClass(models.TextChoices):
    """Risk class of a product (key products receive key supervision)."""

    ORDINARY = "ordinary", _("Ordinary")
    VACCINE = "vaccine", _("Vaccine")
    BLOOD_PRODUCT = "blood_product", _("Blood product")
    NARCOTIC = "narcotic", _("Narcotic drug")
    PSYCHOTROPIC = "psychotropic", _("Psychotropic drug")
    TOXIC = "toxic", _("Medicinal toxic drug")
    RADIOACTIVE = "radioactive", _("Radioactive drug")
    PRECURSOR = "precursor", _("Precursor chemical")
    COLD_CHAIN = "cold_chain", _("Cold chain")
    HIGH_RISK_DEVICE = "high_risk_device", _("Class III device")


class EthnicMedicine(models.TextChoices):
    """Ethnic-medicine attribute (explicit: a province prefix does not tell)."""

    NONE = "", _("None")
    TIBETAN = "tibetan", _("Tibetan medicine")
    MONGOLIAN = "mongolian", _("Mongolian medicine")
    UYGHUR = "uyghur", _("Uyghur medicine")
    DAI = "dai", _("Dai medicine")
    OTHER = "other", _("Other ethnic medicine")


class ProductRelation(models.TextChoices):
    """How an entity is related to a product."""

    HOLDER = "holder", _("Marketing authorisation holder")
    MANUFACTURES = "manufactures", _("Manufactures")
    DISTRIBUTES = "distributes", _("Distributes")
    SELLS = "sells", _("Sells or dispenses")


class PersonRole(models.TextChoices):
    """A person's role at an entity."""

    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    PRINCIPAL = "principal", _("Principal in charge")
    QUALITY_MANAGER = "quality_manager", _("Quality manager")
    LICENSED_PHARMACIST = "licensed_pharmacist", _("Licensed pharmacist")

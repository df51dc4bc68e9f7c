"""Choices of the exchange app: data source kinds, batch states, alert kinds and states."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.choices import DepartmentKind


class SourceKind(models.TextChoices):
    """What a department's data source holds (one template and one validator each)."""

    LICENCE_REGISTER = "licence_register", _("Licence register")
    MEDICAL_INSTITUTIONS = "medical_institutions", _("Medical-institution register")
    INSURANCE_DESIGNATIONS = "insurance_designations", _("Insurance designated institutions")
    SUPERVISION_PROBLEMS = "supervision_problems", _("Problems found in supervision")


# Which kinds of department may upload which source (a file for the wrong department is refused).
# ``None``: any kind of department.
UPLOADERS: dict[str, frozenset[str] | None] = {
    SourceKind.LICENCE_REGISTER: frozenset(
        {DepartmentKind.DRUG_REGULATOR, DepartmentKind.MARKET_REGULATOR}
    ),
    SourceKind.MEDICAL_INSTITUTIONS: frozenset({DepartmentKind.HEALTH_COMMISSION}),
    SourceKind.INSURANCE_DESIGNATIONS: frozenset({DepartmentKind.MEDICAL_INSURANCE}),
    SourceKind.SUPERVISION_PROBLEMS: None,
}


def source_kind_choices() -> list[tuple[str, str]]:
    """Every kind of data source: the built-ins, then those other apps contributed
    (``exchange.plugins``). Callable, so model fields and forms see the contributed kinds."""
    from yaojian.exchange.plugins import plugin_sources

    return [*SourceKind.choices, *((s.kind, s.label) for s in plugin_sources())]


def source_kind_values() -> list[str]:
    """The codes of every kind of data source."""
    return [value for value, _label in source_kind_choices()]


def source_kind_label(kind: str) -> str:
    """A kind of data source in words (the code itself when unknown)."""
    return str(dict(source_kind_choices()).get(kind, kind))


def uploaders_for(kind: str) -> frozenset[str] | None:
    """The kinds of department that may upload ``kind`` (``None``: any; ``KeyError``: unknown)."""
    from yaojian.exchange.plugins import plugin_source

    source = plugin_source(kind)
    if source is not None:
        return source.uploaders
    return UPLOADERS[kind]


class BatchStatus(models.TextChoices):
    """Where an import batch stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")


class BatchOrigin(models.TextChoices):
    """Where a batch came from."""

    UPLOAD = "upload", _("Upload page")
    API = "api", _("API")
    COMMAND = "command", _("Command line")


class RowOutcome(models.TextChoices):
    """What happened to one record of a batch."""

    ACCEPTED = "accepted", _("Accepted")
    UNCHANGED = "unchanged", _("Unchanged")
    REJECTED = "rejected", _("Rejected")
    HELD = "held", _("Held for review")


class AlertKind(models.TextChoices):
    """Contradictions between departments about one entity."""

    REVOKED_BUT_INSURED = (
        "revoked_but_insured",
        _("Licence revoked at one department, insurance agreement active at another"),
    )
    LEGAL_REPRESENTATIVE_MISMATCH = (
        "legal_representative_mismatch",
        _("Departments name different legal representatives"),
    )
    NAME_MISMATCH = "name_mismatch", _("Departments use different names")
    INSURED_WITHOUT_PRACTICE_LICENCE = (
        "insured_without_practice_licence",
        _("Insurance agreement active without a valid practice licence"),
    )


class AlertStatus(models.TextChoices):
    """Where a data-quality alert stands."""

    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


ALERT_TRANSITIONS: dict[str, set[str]] = {
    AlertStatus.OPEN: {AlertStatus.ACKNOWLEDGED, AlertStatus.RESOLVED},
    AlertStatus.ACKNOWLEDGED: {AlertStatus.RESOLVED},
    AlertStatus.RESOLVED: set(),
}

"""Provenance fields and values in words (the profile's card never shows an internal code).

Field names are the entity's (``name``, ``legal_representative`` …) or a licence's
(``licence:<kind>:<number>:status``); coded values (an entity kind, a licence status) are
shown with their labels.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yaojian.registry.choices import EntityKind, LicenceKind, LicenceStatus

FIELD_LABELS = {
    "name": _("Name"),
    "unified_social_credit_code": _("Unified social credit code"),
    "region": _("Region"),
    "address": _("Address"),
    "legal_representative": _("Legal representative"),
    "kind": _("Kind of entity"),
    "level": _("Level and class"),
    "status": _("Licence status"),
    "valid_from": _("Valid from"),
    "valid_until": _("Valid until"),
}


def field_label(field_name: str) -> str:
    """``legal_representative`` → “Legal representative”; a licence's field names the licence
    (“Drug distribution licence 藏DA… · Licence status”)."""
    if field_name.startswith("licence:"):
        _prefix, kind, number, part = [*field_name.split(":", 3), "", "", ""][:4]
        kind_label = dict(LicenceKind.choices).get(kind, kind)
        part_label = FIELD_LABELS.get(part, part)
        return gettext("%(licence)s %(number)s · %(field)s") % {
            "licence": kind_label,
            "number": number,
            "field": part_label,
        }
    return str(FIELD_LABELS.get(field_name, field_name))


def value_label(field_name: str, value: str) -> str:
    """A coded value in words (entity kind, licence status, region); any other value as it is."""
    if field_name == "kind":
        return str(dict(EntityKind.choices).get(value, value))
    if field_name.startswith("licence:") and field_name.endswith(":status"):
        return str(dict(LicenceStatus.choices).get(value, value))
    if field_name == "region":
        from yaojian.territory.models import Region

        name = Region.objects.filter(code=value).values_list("name", flat=True).first()
        return f"{name}（{value}）" if name else value
    return value


# What the app writes to the audit trail, in words (core.labels, ADR 0026).
AUDIT_ACTIONS = {
    "exchange.alert_changed": _("Data-quality alert handled"),
    "exchange.entity_overwritten": _("Entity facts overwritten by an import"),
    "exchange.error_report_downloaded": _("Import error report downloaded"),
    "exchange.import_started": _("Import started"),
    "exchange.import_applied": _("Import applied"),
    "exchange.import_failed": _("Import failed"),
    "exchange.rows_applied": _("Import rows applied"),
    "exchange.source_created": _("Data source created"),
    "exchange.source_changed": _("Data source changed"),
}

"""What the registry writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "registry.entity_created": _("Entity registered"),
    "registry.entity_updated": _("Entity changed"),
    "registry.entity_rows_applied": _("Entities imported"),
    "registry.entity_product_linked": _("Product linked"),
    "registry.entity_person_linked": _("Person linked"),
    "registry.entity_person_link_ended": _("Person's role ended"),
    "registry.licence_added": _("Licence recorded"),
    "registry.licence_status_changed": _("Licence status changed"),
    "registry.person_created": _("Person recorded"),
    "registry.personal_data_read": _("Personal data viewed"),
    "registry.product_created": _("Product recorded"),
    "registry.product_updated": _("Product changed"),
    "registry.restriction_overridden": _("Restriction overridden"),
    "registry.restricted_rows_refused": _("Imported licences refused by a restriction"),
    "registry.licence_holder_changed": _("Licence holder changed"),
}

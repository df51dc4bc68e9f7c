"""What the territory app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "territory.gridcell_created": _("Grid cell created"),
    "territory.gridcell_changed": _("Grid cell changed"),
    "territory.officers_assigned": _("Officers assigned to a grid cell"),
    "territory.regions_loaded": _("Administrative regions loaded"),
}

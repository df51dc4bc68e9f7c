"""What the inspections app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "inspections.conflict_declared": _("Conflict of interest declared"),
    "inspections.draw_made": _("Random draw made"),
    "inspections.entities_placed": _("Entities placed in grid cells"),
    "inspections.entity_cell_assigned": _("Entity assigned to a grid cell"),
    "inspections.file_added": _("Inspection file added"),
    "inspections.file_downloaded": _("Inspection file downloaded"),
    "inspections.inspection_published": _("Inspection result published"),
    "inspections.inspection_recorded": _("Inspection recorded"),
    "inspections.inspection_scheduled": _("Inspection scheduled"),
    "inspections.lab_result_recorded": _("Laboratory result recorded"),
    "inspections.plan_created": _("Inspection plan created"),
    "inspections.riskconfig_changed": _("Risk grading settings changed"),
    "inspections.sample_taken": _("Sample taken"),
}

"""What the clocks app writes to the audit trail and schedules, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "clocks.calendar_day_added": _("Holiday or working day added"),
    "clocks.calendar_day_changed": _("Holiday or working day changed"),
    "clocks.calendar_day_removed": _("Holiday or working day removed"),
    "clocks.calendar_year_added": _("Holiday schedule year added"),
    "clocks.calendar_year_changed": _("Holiday schedule year changed"),
    "clocks.calendar_year_imported": _("Holiday schedule imported"),
    "clocks.reference_calendar_loaded": _("Official holiday schedule loaded"),
}

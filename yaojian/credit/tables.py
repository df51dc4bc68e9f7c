"""The columns of the credit pages' tables (``templates/components/data_table.html``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yaojian.core.tables import columns

RECORDS = columns(
    ("kind", _("Kind")),
    ("entity", _("Entity")),
    ("person", _("Person")),
    ("source_department", _("Source department")),
    ("occurred_on", _("Date")),
    ("expires_on", _("Expires on")),
    ("status", _("Status")),
)
GRADES = columns(
    ("entity", _("Entity")),
    ("credit_code", _("Unified social credit code")),
    ("grade", _("Grade")),
    ("score", _("Score")),
    ("computed_at", _("Computed at")),
)
CONTRIBUTIONS = columns(
    ("record", _("Record")),
    ("source_department", _("Source department")),
    ("occurred_on", _("Date")),
    ("expires_on", _("Expires on")),
    ("points", _("Points")),
)
LISTINGS = columns(
    ("entity", _("Entity")),
    ("department", _("Listing department")),
    ("triggers", _("Triggers")),
    ("state", _("State")),
    ("publish_due_on", _("Publish by")),
    ("listed_until", _("Listed until")),
)
LISTING_LEDGER = columns(
    ("department", _("Department")),
    ("measure", _("Measure")),
    ("state", _("State")),
    ("due_on", _("Confirm by")),
    ("recorded_on", _("Recorded on")),
)
LEDGER = columns(
    ("entity", _("Entity")),
    ("department", _("Department")),
    ("measure", _("Measure")),
    ("state", _("State")),
    ("due_on", _("Confirm by")),
)
REPAIRS = columns(
    ("entity", _("Entity")),
    ("record", _("Record")),
    ("applied_on", _("Applied on")),
    ("state", _("State")),
)
DECISIONS = columns(
    ("entity", _("Entity")),
    ("action", _("Kind of decision")),
    ("title", _("Honour or matter")),
    ("department", _("Deciding department")),
    ("decided_on", _("Date decided")),
    ("override", _("Override")),
)

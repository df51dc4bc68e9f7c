"""What the portal app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "portal.publication_queued": _("Queued for publication"),
    "portal.publication_published": _("Published on the public site"),
    "portal.publication_expired": _("Publication period ended"),
    "portal.publication_stopped": _("Publication stopped"),
    "portal.publication_withdrawal_due": _("Publication due to be withdrawn"),
    "portal.publication_withdrawn": _("Publication withdrawn"),
    "portal.typical_case_created": _("Typical case written"),
    "portal.typical_case_changed": _("Typical case changed"),
    "portal.typical_case_published": _("Typical case published"),
    "portal.typical_case_unpublished": _("Typical case taken down"),
}

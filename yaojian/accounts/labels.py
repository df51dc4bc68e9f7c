"""What the accounts app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "accounts.locked": _("Account locked after failed sign-ins"),
    "accounts.login": _("Signed in"),
    "accounts.login_failed": _("Sign-in failed"),
    "accounts.logout": _("Signed out"),
    "accounts.membership_added": _("Role given in a department"),
    "accounts.membership_ended": _("Role in a department ended"),
    "accounts.password_changed": _("Password changed"),
    "accounts.service_account_created": _("Service account created"),
    "accounts.service_account_token_rotated": _("Service account token replaced"),
    "accounts.share_granted": _("Access shared with another department"),
    "accounts.share_revoked": _("Shared access withdrawn"),
}

"""What the webhooks app writes to the audit trail, in words (core.labels, ADR 0026)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "webhooks.endpoint_created": _("Webhook endpoint created"),
    "webhooks.endpoint_changed": _("Webhook endpoint changed"),
    "webhooks.endpoint_secret_rotated": _("Webhook secret replaced"),
    "webhooks.delivery_replayed": _("Webhook delivery sent again"),
}

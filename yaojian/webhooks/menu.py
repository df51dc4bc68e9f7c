"""Webhooks in the left menu, for those who may read them (ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.core import menu, pagehelp
from yaojian.webhooks.selectors import can_view_webhooks

menu.register(
    "webhooks.endpoints",
    group="admin",
    label=_("Webhooks"),
    url_name="webhooks:endpoint_list",
    icon="webhook",
    allowed=can_view_webhooks,
    order=20,
)
menu.register(
    "webhooks.deliveries",
    group="admin",
    label=_("Webhook deliveries"),
    url_name="webhooks:delivery_list",
    icon="send",
    allowed=can_view_webhooks,
    order=21,
)

pagehelp.register(
    "webhooks:endpoint_list",
    _(
        "Systems of your department that receive the platform's events, signed with HMAC-SHA256; failed deliveries are retried and can be replayed."
    ),
    anchor="节假日日历与-webhook",
)

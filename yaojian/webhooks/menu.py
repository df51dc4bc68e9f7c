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

pagehelp.register(
    "webhooks:endpoint_create",
    _(
        "Add a system that receives the platform's events: its URL and the events it wants. The secret is shown once."
    ),
    anchor="节假日日历与-webhook",
)

pagehelp.register(
    "webhooks:endpoint_detail",
    _(
        "A receiving system: its events, its secret (rotate it if it leaked) and its latest deliveries."
    ),
    anchor="节假日日历与-webhook",
)

pagehelp.register(
    "webhooks:delivery_list",
    _(
        "Every delivery of an event to a receiving system: delivered, retrying or failed. A failed one can be replayed."
    ),
    anchor="节假日日历与-webhook",
)

pagehelp.register(
    "webhooks:delivery_detail",
    _("One delivery: the signed request, each attempt with its answer, and replay."),
    anchor="节假日日历与-webhook",
)

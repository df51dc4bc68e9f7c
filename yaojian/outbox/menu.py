"""The hand-off outbox in the left menu, for those who may see it (ADR 0010, ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.core import menu, pagehelp
from yaojian.outbox.selectors import can_view_outbox

menu.register(
    "outbox.messages",
    group="admin",
    label=_("Hand-offs"),
    url_name="outbox:message_list",
    icon="send",
    allowed=can_view_outbox,
    order=15,
)

pagehelp.register(
    "outbox:message_list",
    _(
        "Every hand-off between departments and apps, written with the change that caused it and delivered by the worker: pending, running, failed (retried with backoff), dead (replay it after fixing the cause) and delivered."
    ),
    anchor="部门交接",
)

pagehelp.register(
    "outbox:message_detail",
    _(
        "One hand-off between departments: its payload, each attempt to deliver it and its result; a failed one can be replayed."
    ),
    anchor="部门交接",
)

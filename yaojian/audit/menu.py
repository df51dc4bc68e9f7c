"""The audit trail in the left menu, for those who may read it (ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.audit.selectors import can_view_audit
from yaojian.core import menu, pagehelp

menu.register(
    "audit.events",
    group="admin",
    label=_("Audit"),
    url_name="audit:event_list",
    icon="shield-check",
    allowed=can_view_audit,
    order=10,
)

pagehelp.register(
    "audit:event_list",
    _(
        "Every write on the platform, in a hash chain that shows whether anything was altered. Filter by action, actor, object type and date."
    ),
    anchor="审计",
)

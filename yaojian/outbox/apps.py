"""The event outbox: durable hand-offs between apps and departments (ADR 0010)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "yaojian.outbox"
    label = "outbox"
    verbose_name = _("Event outbox")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.outbox import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from yaojian.accounts.roles import grant_to_roles
        from yaojian.core.events import set_outbox
        from yaojian.outbox.permissions import ROLE_PERMISSIONS
        from yaojian.outbox.services import store_event

        grant_to_roles(dict(ROLE_PERMISSIONS))
        set_outbox(store_event)

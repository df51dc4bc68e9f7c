"""Outbound webhooks to departments' own systems: signed, retried, logged, replayable."""

from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "yaojian.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.webhooks import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from yaojian.accounts.roles import grant_to_roles
        from yaojian.clocks.schedule import register_periodic
        from yaojian.webhooks.permissions import ROLE_PERMISSIONS
        from yaojian.webhooks.tasks import send_audit_checkpoint_task, send_due_deliveries_task

        grant_to_roles(dict(ROLE_PERMISSIONS))
        register_periodic(
            "webhooks.send_due_deliveries",
            send_due_deliveries_task,
            every=timedelta(minutes=1),
            label=_("Send the webhook deliveries that are due"),
        )
        register_periodic(
            "webhooks.send_audit_checkpoint",
            send_audit_checkpoint_task,
            every=timedelta(minutes=int(getattr(settings, "AUDIT_CHECKPOINT_MINUTES", 10))),
            label=_("Send the audit trail checkpoint to the webhooks"),
        )

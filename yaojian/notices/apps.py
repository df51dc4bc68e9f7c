from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "yaojian.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.notices import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from datetime import timedelta

        from yaojian.accounts.roles import grant_to_roles
        from yaojian.clocks.schedule import register_periodic
        from yaojian.notices.permissions import MATRIX
        from yaojian.notices.tasks import escalate_overdue_notices_task
        from yaojian.registry.panels import register_panel

        grant_to_roles(MATRIX)
        from yaojian.notices import handlers

        handlers.connect()
        register_panel(
            "notices",
            _("Problems and notices"),
            "notices:entity_panel",
            order=30,
            refresh_on="notices-changed from:body",
        )
        # Escalation runs hourly under the clocks scheduler (``manage.py run_scheduler``);
        # ``manage.py escalate_notices`` does the same from cron.
        register_periodic(
            "notices.escalate_overdue",
            escalate_overdue_notices_task,
            timedelta(hours=1),
            label=_("Escalate overdue notices"),
        )

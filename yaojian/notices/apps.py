from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "yaojian.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        import importlib
        from datetime import timedelta

        from yaojian.accounts.roles import grant_to_roles
        from yaojian.notices.permissions import MATRIX
        from yaojian.registry.panels import register_panel

        grant_to_roles(MATRIX)
        register_panel(
            "notices",
            _("Problems and notices"),
            "notices:entity_panel",
            order=30,
            refresh_on="notices-changed from:body",
        )
        # The periodic scheduler lives in clocks (another part of the platform); without it,
        # run ``manage.py escalate_notices`` from cron.
        try:
            schedule = importlib.import_module("yaojian.clocks.schedule")
        except ImportError:
            return
        register = getattr(schedule, "register_periodic", None)
        if register is not None:
            from yaojian.notices.tasks import escalate_overdue_notices_task

            register("notices.escalate_overdue", escalate_overdue_notices_task, timedelta(hours=1))

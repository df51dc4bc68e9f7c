from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "yaojian.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.dashboard import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from datetime import timedelta

        from yaojian.accounts.roles import grant_to_roles
        from yaojian.clocks.schedule import register_periodic
        from yaojian.dashboard import figures, work
        from yaojian.dashboard.permissions import ROLE_PERMISSIONS
        from yaojian.dashboard.tasks import refresh_snapshots_task

        grant_to_roles(ROLE_PERMISSIONS)  # type: ignore[arg-type]
        work.register_all()
        figures.register_all()
        register_periodic(
            "dashboard.refresh_snapshots",
            refresh_snapshots_task,
            every=timedelta(minutes=15),
            label=_("Refresh the dashboard figures"),
        )

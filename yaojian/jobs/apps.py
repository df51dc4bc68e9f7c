from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "yaojian.jobs"
    label = "jobs"
    verbose_name = _("Jobs")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.jobs import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)

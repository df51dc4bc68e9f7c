from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "yaojian.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.demo import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)

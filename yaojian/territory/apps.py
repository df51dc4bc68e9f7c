from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "yaojian.territory"
    label = "territory"
    verbose_name = _("Territory")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.territory import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)

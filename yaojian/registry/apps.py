from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "yaojian.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.registry import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)

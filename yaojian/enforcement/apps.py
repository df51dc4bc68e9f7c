from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "yaojian.enforcement"
    label = "enforcement"
    verbose_name = _("Enforcement")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.enforcement import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from yaojian.accounts.roles import grant_to_roles
        from yaojian.enforcement import handlers
        from yaojian.enforcement.permissions import ROLE_PERMISSIONS
        from yaojian.registry.panels import register_panel

        grant_to_roles(ROLE_PERMISSIONS)  # type: ignore[arg-type]
        handlers.connect()
        register_panel(
            "enforcement-cases", _("Enforcement cases"), "enforcement:entity_panel", order=40
        )

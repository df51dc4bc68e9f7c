from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "yaojian.exchange"
    label = "exchange"
    verbose_name = _("Data exchange")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.exchange import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from yaojian.accounts.roles import grant_to_roles
        from yaojian.exchange import handlers
        from yaojian.exchange.permissions import PERMISSIONS
        from yaojian.registry.panels import register_panel

        grant_to_roles(dict(PERMISSIONS))
        register_panel(
            "exchange-sources",
            _("What each department holds"),
            "exchange:entity_sources",
            order=10,
            refresh_on="exchange-changed from:body",
        )
        handlers.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yaojian.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from yaojian.accounts import labels
        from yaojian.core.labels import AUDIT_ACTIONS

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)

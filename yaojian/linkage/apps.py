from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "yaojian.linkage"
    label = "linkage"
    verbose_name = _("Entity linkage")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.linkage import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from yaojian.accounts.roles import grant_to_roles
        from yaojian.linkage.permissions import PERMISSIONS

        grant_to_roles(dict(PERMISSIONS))

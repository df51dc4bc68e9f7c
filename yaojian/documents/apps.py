from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "yaojian.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.documents import labels

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)

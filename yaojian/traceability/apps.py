from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceabilityConfig(AppConfig):
    name = "yaojian.traceability"
    label = "traceability"
    verbose_name = _("Traceability analytics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.traceability import figures, imports, labels, menu  # noqa: F401

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)

        figures.register()
        imports.register()

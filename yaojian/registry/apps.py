from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "yaojian.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from datetime import timedelta

        from yaojian.clocks.schedule import register_periodic
        from yaojian.core.labels import AUDIT_ACTIONS
        from yaojian.registry import labels
        from yaojian.registry.tasks import refresh_search_postings_task

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        # The postings of bulk writes (ADR 0032): within a minute of an import.
        register_periodic(
            "registry.search_postings",
            refresh_search_postings_task,
            timedelta(minutes=1),
            label=_("Write the search postings of bulk registry writes"),
        )

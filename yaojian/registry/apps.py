from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "yaojian.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from datetime import timedelta

        from yaojian.clocks.schedule import register_periodic
        from yaojian.registry.tasks import refresh_search_postings_task

        # The postings of bulk writes (ADR 0032): within a minute of an import.
        register_periodic(
            "registry.search_postings", refresh_search_postings_task, timedelta(minutes=1)
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "yaojian.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # Registers the schema extensions with drf-spectacular.
        from yaojian.api import schema  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yaojian.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app's ``menu.py`` and ``search.py`` register its menu items and search
        # providers (ADR 0015); core never names an app.
        autodiscover_modules("menu", "search")

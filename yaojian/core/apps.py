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

        from yaojian.core import pagehelp

        pagehelp.register(
            "search",
            _(
                "Search by entity name or credit code, case number, notice number or licence number; only what you may see is found."
            ),
            anchor="界面菜单搜索通知与帮助",
        )
        pagehelp.register(
            "help",
            _("The user guide: how each page works and what its states mean."),
            anchor="界面菜单搜索通知与帮助",
        )

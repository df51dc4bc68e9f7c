"""The API documentation in the left menu (ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.core import menu

menu.register(
    "api.docs",
    group="admin",
    label=_("API"),
    url_name="api-docs",
    icon="api",
    order=70,
)

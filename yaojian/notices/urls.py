"""URLs of the notices app (mounted at /notices/)."""

from django.urls import URLPattern, URLResolver, path

from yaojian.notices.views import panel

app_name = "notices"

urlpatterns: list[URLPattern | URLResolver] = [
    path("entity/<str:public_id>/panel/", panel.entity_panel, name="entity_panel"),
]

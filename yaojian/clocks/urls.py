"""URLs of the clocks app."""

from django.urls import URLPattern, URLResolver

app_name = "clocks"

urlpatterns: list[URLPattern | URLResolver] = []

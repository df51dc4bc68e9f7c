"""URLs of the enforcement app."""

from django.urls import URLPattern, URLResolver

app_name = "enforcement"

urlpatterns: list[URLPattern | URLResolver] = []

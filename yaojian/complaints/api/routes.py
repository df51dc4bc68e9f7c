"""The complaints app's part of /api/v1/ (called by yaojian.api.urls)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

from yaojian.complaints.api.views import ComplaintViewSet


def register(router: BaseRouter) -> None:
    router.register("complaints", ComplaintViewSet, basename="complaint")


urlpatterns: list[URLPattern | URLResolver] = []

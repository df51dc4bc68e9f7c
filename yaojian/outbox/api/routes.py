"""The outbox's part of /api/v1/: called by the API composition root (yaojian.api.urls)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

from yaojian.outbox.api.views import MessageViewSet


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the v1 router."""
    router.register("handoffs", MessageViewSet, basename="handoff")


# Extra /api/v1/ paths that are not viewsets.
urlpatterns: list[URLPattern | URLResolver] = []

"""The notices app's part of /api/v1/: called by the API composition root (yaojian.api.urls)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

from yaojian.notices.api.views import NoticeViewSet, ProblemViewSet, RoutingRuleViewSet


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the v1 router."""
    router.register("problems", ProblemViewSet, basename="problem")
    router.register("notices", NoticeViewSet, basename="notice")
    router.register("routing-rules", RoutingRuleViewSet, basename="routing-rule")


# Extra /api/v1/ paths that are not viewsets.
urlpatterns: list[URLPattern | URLResolver] = []

"""The enforcement app's part of /api/v1/: called by the API composition root (yaojian.api.urls)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the v1 router."""
    from yaojian.enforcement.api.views import AssistanceRequestViewSet, CaseViewSet, DecisionViewSet

    router.register("cases", CaseViewSet, basename="case")
    router.register("assistance-requests", AssistanceRequestViewSet, basename="assistance-request")
    router.register("decisions", DecisionViewSet, basename="decision")


# Extra /api/v1/ paths that are not viewsets.
urlpatterns: list[URLPattern | URLResolver] = []

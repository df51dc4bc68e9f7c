"""The portal app's part of /api/v1/: called by the API composition root (yaojian.api.urls)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

from yaojian.portal.api.views import (
    PublicationViewSet,
    PublicPenaltyViewSet,
    PublicTypicalCaseViewSet,
)


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the v1 router."""
    router.register("public/penalties", PublicPenaltyViewSet, basename="public-penalty")
    router.register(
        "public/typical-cases", PublicTypicalCaseViewSet, basename="public-typical-case"
    )
    router.register("portal/publications", PublicationViewSet, basename="portal-publication")


# Extra /api/v1/ paths that are not viewsets.
urlpatterns: list[URLPattern | URLResolver] = []

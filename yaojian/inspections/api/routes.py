"""The inspections app's part of /api/v1/ (called by yaojian.api.urls)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

from yaojian.inspections.api.views import (
    DrawViewSet,
    InspectionViewSet,
    PlanViewSet,
    RatingViewSet,
)


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the v1 router."""
    router.register("inspections/plans", PlanViewSet, basename="inspection-plan")
    router.register("inspections/draws", DrawViewSet, basename="inspection-draw")
    router.register("inspections/records", InspectionViewSet, basename="inspection-record")
    router.register("inspections/ratings", RatingViewSet, basename="inspection-rating")


urlpatterns: list[URLPattern | URLResolver] = []

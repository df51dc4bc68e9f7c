"""The clocks app's part of /api/v1/: called by the API composition root (yaojian.api.urls)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import BaseRouter

from yaojian.clocks.api.views import AddWorkingDaysView, CalendarDayViewSet, CalendarYearViewSet


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the v1 router."""
    router.register("calendar/years", CalendarYearViewSet, basename="calendar-year")
    router.register("calendar/days", CalendarDayViewSet, basename="calendar-day")


# Extra /api/v1/ paths that are not viewsets.
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "calendar/add-working-days/",
        AddWorkingDaysView.as_view(),
        name="calendar-add-working-days",
    ),
]

"""The exchange app's part of /api/v1/: called by the API composition root (yaojian.api.urls)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import BaseRouter

from yaojian.exchange.api.views import ImportBatchViewSet, RecordUploadView, TemplateView


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the v1 router."""
    router.register("exchange/imports", ImportBatchViewSet, basename="exchange-import")


# Extra /api/v1/ paths that are not viewsets.
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "exchange/templates/<str:kind>.xlsx",
        TemplateView.as_view(),
        name="exchange-template",
    ),
    path("exchange/<str:kind>/records/", RecordUploadView.as_view(), name="exchange-records"),
]

"""The traceability app's part of /api/v1/ (called by yaojian.api.urls)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import BaseRouter

from yaojian.traceability.api.views import BatchDetailView, BatchView, CodeStateView


def register(router: BaseRouter) -> None:
    """No viewsets: two plain views."""


urlpatterns: list[URLPattern | URLResolver] = [
    path("trace/codes/<str:code>/", CodeStateView.as_view(), name="trace-code"),
    path("trace/batches/", BatchView.as_view(), name="trace-batches"),
    path("trace/batches/<uuid:public_id>/", BatchDetailView.as_view(), name="trace-batch"),
]

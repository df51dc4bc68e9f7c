"""The linkage app's part of /api/v1/: called by the API composition root (yaojian.api.urls)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import BaseRouter

from yaojian.linkage.api.views import LinkFilesView, LinkReviewViewSet


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the v1 router."""
    router.register("link-reviews", LinkReviewViewSet, basename="link-review")


# Extra /api/v1/ paths that are not viewsets.
urlpatterns: list[URLPattern | URLResolver] = [
    path("linkage/link-files/", LinkFilesView.as_view(), name="linkage-link-files"),
]

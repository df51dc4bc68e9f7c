"""The referrals app's part of /api/v1/: called by the API composition root (yaojian.api.urls)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import BaseRouter

from yaojian.referrals.api.views import ReferralViewSet


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the v1 router."""
    router.register("referrals", ReferralViewSet, basename="referral")


# Extra /api/v1/ paths that are not viewsets.
urlpatterns: list[URLPattern | URLResolver] = []

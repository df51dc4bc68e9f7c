"""The credit app's part of /api/v1/: called by the API composition root (yaojian.api.urls)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import BaseRouter

from yaojian.credit.api.views import (
    CheckedDecisionViewSet,
    CreditRecordViewSet,
    DishonestyListViewSet,
    RestrictionView,
)


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the v1 router."""
    router.register("credit/records", CreditRecordViewSet, basename="credit-record")
    router.register("credit/decisions", CheckedDecisionViewSet, basename="credit-decision")
    router.register("credit/dishonesty-list", DishonestyListViewSet, basename="credit-dishonesty")


urlpatterns: list[URLPattern | URLResolver] = [
    path("credit/restrictions/", RestrictionView.as_view(), name="credit-restrictions"),
]

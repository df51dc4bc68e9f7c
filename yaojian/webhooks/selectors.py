"""Reads of the webhooks app: endpoints and deliveries of the user's departments only."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from yaojian.accounts.scoping import has_permission
from yaojian.webhooks.choices import DeliveryStatus
from yaojian.webhooks.models import Delivery, DeliveryAttempt, Endpoint


def can_view_webhooks(user: Any) -> bool:
    return has_permission(user, "webhooks.view_endpoint")


def can_manage_webhooks(user: Any) -> bool:
    return has_permission(user, "webhooks.add_endpoint")


def endpoints_visible_to(user: Any, action: str = "view") -> QuerySet[Endpoint]:
    """Endpoints of the user's departments (administrators and department heads)."""
    return (
        Endpoint.objects.visible_to(user, action)
        .select_related("department")
        .annotate(delivery_count=Count("deliveries"))
        .order_by("department_id", "name", "id")  # an aggregate drops Meta.ordering
    )


def get_endpoint_for_user(user: Any, public_id: Any, action: str = "view") -> Endpoint:
    """One endpoint; ``DoesNotExist`` for missing and forbidden alike (→ 404)."""
    return (
        Endpoint.objects.visible_to(user, action)
        .select_related("department")
        .get(public_id=public_id)
    )


def deliveries_visible_to(
    user: Any, *, status: str | None = None, endpoint: Endpoint | None = None
) -> QuerySet[Delivery]:
    """The delivery log of the user's departments, newest first, optionally filtered."""
    queryset = Delivery.objects.visible_to(user).select_related("endpoint")
    if status in DeliveryStatus.values:
        queryset = queryset.filter(status=status)
    if endpoint is not None:
        queryset = queryset.filter(endpoint=endpoint)
    return queryset.order_by("-created_at", "-id")


def get_delivery_for_user(user: Any, public_id: Any) -> Delivery:
    """One delivery; ``DoesNotExist`` for missing and forbidden alike (→ 404)."""
    return (
        Delivery.objects.visible_to(user)
        .select_related("endpoint__department")
        .get(public_id=public_id)
    )


def attempts_of(delivery: Delivery) -> QuerySet[DeliveryAttempt]:
    return DeliveryAttempt.objects.filter(delivery=delivery).order_by("-started_at", "-id")

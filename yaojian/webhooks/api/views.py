"""Views of the webhooks API: my department's endpoints and delivery log, replay.

Scoped like the pages: another department's endpoint or delivery is a 404. Writes call
the webhooks services (validated, audited; the secret never in the audit trail).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yaojian.accounts.models import Department
from yaojian.webhooks import selectors, services
from yaojian.webhooks.api.serializers import (
    DeliveryDetailSerializer,
    DeliverySerializer,
    EndpointSerializer,
    EndpointWithSecretSerializer,
    EndpointWriteSerializer,
)
from yaojian.webhooks.choices import DeliveryStatus
from yaojian.webhooks.models import Delivery, Endpoint

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input: `errors` holds the messages per field.")),
    403: OpenApiResponse(description=_("The caller's roles do not allow this.")),
    404: OpenApiResponse(description=_("Missing, or not visible to the caller.")),
}


@extend_schema(tags=["webhooks"])
class EndpointViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Endpoint]
):
    """Webhook endpoints of the caller's departments (administrators manage, heads read).

    The signing secret appears only in the answers to `create` and `rotate-secret`.
    """

    serializer_class = EndpointSerializer
    lookup_field = "public_id"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Endpoint]:
        return selectors.endpoints_visible_to(self.request.user).order_by("name", "id")

    def get_object(self) -> Endpoint:
        return selectors.get_endpoint_for_user(self.request.user, self.kwargs["public_id"])

    def _department(self, code: str | None) -> Department | None:
        if not code:
            return None
        department = Department.objects.filter(code=code).first()
        if department is None:
            raise serializers.ValidationError({"department": [_("No such department.")]})
        return department

    @extend_schema(
        request=EndpointWriteSerializer, responses={201: EndpointWithSecretSerializer, **ERRORS}
    )
    def create(self, request: Request) -> Response:
        data = EndpointWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        department = self._department(values.pop("department", None))
        endpoint = services.create_endpoint(actor=request.user, department=department, **values)
        return Response(EndpointWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndpointWriteSerializer, responses={200: EndpointSerializer, **ERRORS})
    def partial_update(self, request: Request, public_id: str) -> Response:
        endpoint = self.get_object()
        data = EndpointWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k != "department"}
        endpoint = services.update_endpoint(actor=request.user, endpoint=endpoint, **values)
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(request=None, responses={200: EndpointWithSecretSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, public_id: str) -> Response:
        """Replace the signing secret; the answer shows the new one once."""
        endpoint = services.rotate_endpoint_secret(actor=request.user, endpoint=self.get_object())
        return Response(EndpointWithSecretSerializer(endpoint).data)


class DeliveryQuerySerializer(serializers.Serializer[Any]):
    """The query parameters of the delivery log; an unknown status answers 400."""

    status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)


@extend_schema(tags=["webhooks"])
class DeliveryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Delivery]
):
    """The delivery log of the caller's departments, newest first; `replay` re-sends."""

    serializer_class = DeliverySerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Delivery]:
        query = DeliveryQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.deliveries_visible_to(
            self.request.user, status=query.validated_data.get("status")
        )

    def get_object(self) -> Delivery:
        return selectors.get_delivery_for_user(self.request.user, self.kwargs["public_id"])

    @extend_schema(parameters=[DeliveryQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: DeliveryDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        delivery = self.get_object()
        return Response(DeliveryDetailSerializer(delivery).data)

    @extend_schema(request=None, responses={202: DeliverySerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def replay(self, request: Request, public_id: str) -> Response:
        """Send a delivered or dead delivery again, with the same idempotency key."""
        delivery = services.replay_delivery(actor=request.user, delivery=self.get_object())
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

"""Views of the portal API.

* ``/api/v1/public/penalties/`` and ``/api/v1/public/typical-cases/``: anyone, no token;
  only what the public pages show.
* ``/api/v1/portal/publications/``: staff of the deciding department; ``publish``,
  ``withdraw`` and ``stop`` call the same services as the pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from yaojian.portal import selectors, services
from yaojian.portal.api.serializers import (
    EarlyStopSerializer,
    PublicationSerializer,
    PublicPenaltySerializer,
    PublicTypicalCaseSerializer,
    WithdrawSerializer,
)
from yaojian.portal.choices import PublicationStatus
from yaojian.portal.forms import PenaltySearchForm
from yaojian.portal.models import Publication, TypicalCase

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input: `errors` holds the messages per field.")),
    403: OpenApiResponse(description=_("The caller's roles do not allow this.")),
    404: OpenApiResponse(description=_("Missing, or not visible to the caller.")),
}

PUBLIC_PARAMETERS = [
    OpenApiParameter("party", str, description=_("A fragment of the party's name as published.")),
    OpenApiParameter("credit_code", str, description=_("An exact unified social credit code.")),
    OpenApiParameter("region", str, description=_("A division code: that region and below.")),
    OpenApiParameter("year", int, description=_("The year of the decision.")),
]


@extend_schema_view(list=extend_schema(parameters=PUBLIC_PARAMETERS, auth=[]))
@extend_schema_view(
    retrieve=extend_schema(auth=[], responses={200: PublicPenaltySerializer, **ERRORS})
)
class PublicPenaltyViewSet(viewsets.ReadOnlyModelViewSet[Publication]):
    """Penalty information on display, for anyone (personal data masked)."""

    serializer_class = PublicPenaltySerializer
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    lookup_field = "public_id"
    lookup_url_kwarg = "id"

    def get_queryset(self) -> QuerySet[Publication]:
        if self.action != "list":
            return selectors.published_penalties()
        form = PenaltySearchForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(
                {
                    field: [error["message"] for error in errors]
                    for field, errors in form.errors.get_json_data().items()
                }
            )
        return selectors.published_penalties_matching(**form.search_arguments())

    def get_object(self) -> Publication:
        return selectors.get_published_penalty(self.kwargs["id"])


@extend_schema_view(list=extend_schema(auth=[]), retrieve=extend_schema(auth=[]))
class PublicTypicalCaseViewSet(viewsets.ReadOnlyModelViewSet[TypicalCase]):
    """Published typical cases, for anyone."""

    serializer_class = PublicTypicalCaseSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    lookup_url_kwarg = "id"

    def get_queryset(self) -> QuerySet[TypicalCase]:
        return selectors.published_typical_cases()

    def get_object(self) -> TypicalCase:
        return selectors.get_published_typical_case(self.kwargs["id"])


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=PublicationStatus.values),
        ]
    )
)
class PublicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Publication]
):
    """The publications of the caller's department, and the actions on them."""

    serializer_class = PublicationSerializer
    lookup_url_kwarg = "id"

    def get_queryset(self) -> QuerySet[Publication]:
        rows = selectors.publications_visible_to(self.request.user).order_by("-decided_on", "-id")
        status = self.request.query_params.get("status")
        if status:
            if status not in PublicationStatus.values:
                raise ValidationError({"status": [str(_("Unknown status."))]})
            rows = rows.filter(status=status)
        return rows

    def get_object(self) -> Publication:
        return selectors.get_publication_for_user(self.request.user, self.kwargs["id"])

    @extend_schema(request=None, responses={200: PublicationSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, id: str) -> Response:
        """Publish a draft now."""
        publication = services.publish_publication(
            actor=request.user, publication=self.get_object()
        )
        return Response(PublicationSerializer(publication).data)

    @extend_schema(request=WithdrawSerializer, responses={200: PublicationSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, id: str) -> Response:
        """Withdraw a draft or a publication, with the reason."""
        publication = self.get_object()
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        publication = services.withdraw_publication(
            actor=request.user, publication=publication, reason=serializer.validated_data["reason"]
        )
        return Response(PublicationSerializer(publication).data)

    @extend_schema(request=EarlyStopSerializer, responses={200: PublicationSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, id: str) -> Response:
        """Stop a publication early (article 14: all four conditions)."""
        publication = self.get_object()
        serializer = EarlyStopSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        publication = services.stop_publication_early(
            actor=request.user,
            publication=publication,
            conditions=serializer.validated_data["conditions"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(PublicationSerializer(publication).data)

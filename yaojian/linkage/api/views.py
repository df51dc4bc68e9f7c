"""Views of the linkage API: the review queue (confirm / reject) and reconciling two lists."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yaojian.linkage import selectors, services
from yaojian.linkage.api.serializers import (
    ConfirmSerializer,
    JobStartedSerializer,
    LinkFilesSerializer,
    LinkReviewSerializer,
    RejectSerializer,
)
from yaojian.linkage.choices import ReviewState
from yaojian.linkage.files import start_link_files
from yaojian.linkage.models import LinkReview
from yaojian.registry.selectors import get_entity_for_user

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input: `errors` holds the messages per field.")),
    403: OpenApiResponse(description=_("The caller's roles do not allow this.")),
    404: OpenApiResponse(description=_("Missing, or not visible to the caller.")),
}


class ReviewQuerySerializer(serializers.Serializer[Any]):
    """The query parameters of the review queue; an unknown state answers 400."""

    state = serializers.ChoiceField(choices=ReviewState.choices, required=False)
    source_app = serializers.CharField(required=False, max_length=32)
    q = serializers.CharField(required=False, max_length=200, help_text=_("A name fragment."))


@extend_schema(tags=["linkage"])
@extend_schema_view(list=extend_schema(parameters=[ReviewQuerySerializer]))
class LinkReviewViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[LinkReview]
):
    """Records queued for a human decision (the department's review queue).

    Filter with `state` (pending, confirmed, rejected) and `source_app`. Confirming and
    rejecting need `linkage.change_linkreview` (data stewards, administrators).
    """

    serializer_class = LinkReviewSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[LinkReview]:
        query = ReviewQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        return selectors.filter_reviews(
            self.request.user,
            state=params.get("state", ""),
            source_app=params.get("source_app", ""),
            q=params.get("q", ""),
        )

    def _review(self, public_id: str) -> LinkReview:
        return selectors.get_review_for_user(self.request.user, public_id)

    @extend_schema(request=ConfirmSerializer, responses={200: LinkReviewSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, public_id: str) -> Response:
        """Confirm the link (to the candidate, or to `entity`)."""
        review = self._review(public_id)
        serializer = ConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entity = None
        if serializer.validated_data.get("entity"):
            entity = get_entity_for_user(request.user, serializer.validated_data["entity"])
        review = services.confirm_review(actor=request.user, review=review, entity=entity)
        return Response(LinkReviewSerializer(review).data)

    @extend_schema(request=RejectSerializer, responses={200: LinkReviewSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, public_id: str) -> Response:
        """Reject the link, with the reason: the record is a new entity."""
        review = self._review(public_id)
        serializer = RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.reject_review(
            actor=request.user, review=review, reason=serializer.validated_data["reason"]
        )
        return Response(LinkReviewSerializer(review).data)


@extend_schema(tags=["linkage"])
class LinkFilesView(APIView):
    """Upload two lists (multipart `left`, `right`: CSV or XLSX); a job writes PAIRS.csv."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": LinkFilesSerializer},
        responses={202: JobStartedSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = LinkFilesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        columns = {}
        if data.get("name_column"):
            columns["name"] = data["name_column"]
        if data.get("address_column"):
            columns["address"] = data["address_column"]
        job = start_link_files(
            actor=request.user,
            left=(data["left"].name, data["left"].read()),
            right=(data["right"].name, data["right"].read()),
            columns=columns,
        )
        body = {
            "job": str(job.public_id),
            "status": job.status,
            "url": reverse("jobs:job_detail", kwargs={"public_id": job.public_id}),
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)

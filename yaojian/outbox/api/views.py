"""Views of the outbox API: the caller's departments' hand-offs, filtered by status; replay.

Scoped like the pages: another department's hand-off is a 404; replay needs
``outbox.replay_message`` (administrators) and is audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from yaojian.outbox import selectors, services
from yaojian.outbox.api.serializers import MessageDetailSerializer, MessageSerializer
from yaojian.outbox.choices import MessageStatus
from yaojian.outbox.models import Message

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input: `errors` holds the messages per field.")),
    403: OpenApiResponse(description=_("The caller's roles do not allow this.")),
    404: OpenApiResponse(description=_("Missing, or not visible to the caller.")),
}
STATUS_PARAMETER = OpenApiParameter(
    "status", str, enum=list(MessageStatus.values), description=_("Filter.")
)


@extend_schema(tags=["outbox"])
class MessageViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Message]
):
    """Hand-offs (event → handler) published by the caller's departments, newest first."""

    serializer_class = MessageSerializer
    lookup_field = "public_id"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not selectors.can_view_outbox(request.user):
            raise PermissionDenied(_("You are not allowed to see hand-offs."))

    def get_queryset(self) -> QuerySet[Message]:
        return selectors.messages_visible_to(
            self.request.user, status=self.request.query_params.get("status")
        )

    def get_object(self) -> Message:
        return selectors.get_message_for_user(self.request.user, self.kwargs["public_id"])

    @extend_schema(parameters=[STATUS_PARAMETER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: MessageDetailSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(MessageDetailSerializer(self.get_object()).data)

    @extend_schema(request=None, responses={202: MessageSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def replay(self, request: Request, public_id: str) -> Response:
        """Queue a failed or dead hand-off again, with the same idempotency key (audited)."""
        message = services.replay_message(actor=request.user, message=self.get_object())
        return Response(MessageSerializer(message).data, status=status.HTTP_202_ACCEPTED)

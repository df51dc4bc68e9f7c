"""Views of the notices API: problems, the inbox with its actions, routing rules."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from yaojian.notices import selectors, services
from yaojian.notices.api.serializers import (
    AnswerSerializer,
    NoticeQuerySerializer,
    NoticeSerializer,
    ProblemCreateSerializer,
    ProblemSerializer,
    RoutingRuleSerializer,
)
from yaojian.notices.models import Notice, Problem, RoutingRule
from yaojian.registry import selectors as registry_selectors


@extend_schema(tags=["notices"])
class ProblemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Problem]
):
    """Problems my departments recorded or were notified about. Creating one fans out notices
    by the routing rules (`notices.add_problem`: inspectors, case officers, heads, stewards).
    Personal data is always masked here; it is revealed only on the audited page action."""

    serializer_class = ProblemSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Problem]:
        return selectors.problems_visible_to(self.request.user).prefetch_related(
            "persons", Prefetch("notices", queryset=Notice.objects.select_related("recipient"))
        )

    def get_object(self) -> Problem:
        return selectors.get_problem_for_user(self.request.user, self.kwargs["public_id"])

    @extend_schema(request=ProblemCreateSerializer, responses={201: ProblemSerializer})
    def create(self, request: Request) -> Response:
        serializer = ProblemCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        departments = selectors.recording_departments(request.user)
        if data.get("department"):
            department = next((d for d in departments if d.public_id == data["department"]), None)
        else:
            department = departments[0] if departments else None
        if department is None:
            raise PermissionDenied
        entity = None
        if data.get("entity"):
            entity = registry_selectors.get_entity_for_user(request.user, data["entity"])
        problem = services.record_problem(
            actor=request.user,
            department=department,
            category=data["category"],
            description=data["description"],
            entity=entity,
            region_code=data.get("region_code", ""),
            found_on=data.get("found_on"),
            personal_data=data.get("personal_data", []),
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=problem.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["notices"])
@extend_schema_view(list=extend_schema(parameters=[NoticeQuerySerializer]))
class NoticeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Notice]
):
    """My departments' inbox (or `box=sent`). Retrieving a received notice marks it read
    (recorded). Actions: `acknowledge` and `answer` (the recipient's staff), `close` (the
    sender's staff, once answered). Illegal transitions answer 400 with a clear message."""

    serializer_class = NoticeSerializer
    lookup_field = "public_id"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Notice]:
        query = NoticeQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        state = params.get("state", "")
        if params["box"] == "sent":
            return selectors.sent_notices(self.request.user, state=state)
        return selectors.inbox(self.request.user, state=state, overdue=params["overdue"])

    def get_object(self) -> Notice:
        return selectors.get_notice_for_user(self.request.user, self.kwargs["public_id"])

    def retrieve(self, request: Request, public_id: str) -> Response:
        notice = services.view_notice(actor=request.user, notice=self.get_object())
        return Response(NoticeSerializer(notice).data)

    @extend_schema(request=None, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, public_id: str) -> Response:
        notice = services.acknowledge_notice(actor=request.user, notice=self.get_object())
        return Response(NoticeSerializer(notice).data)

    @extend_schema(request=AnswerSerializer, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, public_id: str) -> Response:
        notice = self.get_object()
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        files = request.FILES.getlist("attachments") if request.FILES else []
        notice = services.answer_notice(
            actor=request.user,
            notice=notice,
            answer=serializer.validated_data["answer"],
            attachments=files,
        )
        return Response(NoticeSerializer(notice).data)

    @extend_schema(request=None, responses={200: NoticeSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, public_id: str) -> Response:
        notice = services.close_notice(actor=request.user, notice=self.get_object())
        return Response(NoticeSerializer(notice).data)


@extend_schema(tags=["notices"])
class RoutingRuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[RoutingRule],
):
    """Routing rules: everyone signed in reads them; administrators create and change them."""

    serializer_class = RoutingRuleSerializer
    lookup_field = "public_id"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[RoutingRule]:
        return selectors.routing_rules()

    def get_object(self) -> RoutingRule:
        return selectors.get_rule(self.kwargs["public_id"])

    def _data(self, serializer: RoutingRuleSerializer) -> dict[str, Any]:
        data = dict(serializer.validated_data)
        if "category" in data:
            data["category"] = data["category"]["code"]
        return data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = RoutingRuleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = services.create_routing_rule(actor=request.user, data=self._data(serializer))
        return Response(RoutingRuleSerializer(rule).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rule = self.get_object()
        serializer = RoutingRuleSerializer(rule, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        rule = services.update_routing_rule(
            actor=request.user, rule=rule, data=self._data(serializer)
        )
        return Response(RoutingRuleSerializer(rule).data)

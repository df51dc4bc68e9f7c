"""The enforcement API: cases (list, filter, retrieve, actions), tasks, assistance requests,
decisions. Querysets come from the scoping; writes go through the case page's action table,
so the API validates and behaves exactly like the UI."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yaojian.core.pagination import CappedCountPagination
from yaojian.enforcement import selectors
from yaojian.enforcement.choices import CaseStage
from yaojian.enforcement.models import AssistanceRequest, Case, Decision, JointTask
from yaojian.enforcement.views.actions import ACTIONS, cleaned


class CaseSerializer(serializers.ModelSerializer[Case]):
    department = serializers.CharField(source="department.code")
    region = serializers.CharField(source="region_id")

    class Meta:
        model = Case
        fields = [
            "public_id",
            "number",
            "title",
            "stage",
            "source",
            "department",
            "region",
            "party_name",
            "clue_received_on",
            "filed_on",
            "decided_on",
            "closed_on",
            "is_major",
            "next_due_on",
            "next_clock_kind",
        ]


class TaskSerializer(serializers.ModelSerializer[JointTask]):
    department = serializers.CharField(source="department.code")
    due_on = serializers.DateField(source="clock.due_on")

    class Meta:
        model = JointTask
        fields = [
            "public_id",
            "department",
            "description",
            "due_working_days",
            "due_on",
            "state",
            "outcome",
            "completed_on",
        ]


class AssistanceSerializer(serializers.ModelSerializer[AssistanceRequest]):
    case = serializers.UUIDField(source="case.public_id")
    to_department = serializers.CharField(source="to_department.code")
    due_on = serializers.DateField(source="clock.due_on")

    class Meta:
        model = AssistanceRequest
        fields = [
            "public_id",
            "case",
            "to_department",
            "subject",
            "questions",
            "sent_on",
            "due_on",
            "state",
            "answer",
            "answered_on",
        ]


class ItemSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    article = serializers.CharField()


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    case = serializers.UUIDField(source="case.public_id")
    department = serializers.CharField(source="department.code")
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "public_id",
            "case",
            "department",
            "number",
            "state",
            "decided_on",
            "violation",
            "legal_basis",
            "items",
        ]


class CaseQuerySerializer(serializers.Serializer[Any]):
    """The query parameters of the case list; an unknown stage or due value answers 400."""

    stage = serializers.ChoiceField(choices=CaseStage.choices, required=False)
    due = serializers.ChoiceField(
        choices=["overdue", "soon"], required=False, help_text="Overdue, or due soon."
    )
    officer = serializers.CharField(required=False, max_length=150, help_text="A user name.")
    region = serializers.RegexField(
        r"^\d{6}$", required=False, help_text="A six-digit division code."
    )


@extend_schema(tags=["cases"])
@extend_schema_view(list=extend_schema(parameters=[CaseQuerySerializer]))
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Case]):
    """Enforcement cases the caller may see (lead or participant). Filters: ``stage``,
    ``due`` (overdue|soon), ``officer`` (user name), ``region`` (division code).

    ``POST cases/<id>/actions/<name>/`` runs one step (the names and fields of the case page's
    actions, e.g. ``file``, ``evidence``, ``decide``): 400 with the errors per field, 403 when
    the role or stage does not allow it, 404 when the case is not visible.
    """

    serializer_class = CaseSerializer
    lookup_field = "public_id"
    pagination_class = CappedCountPagination

    def get_queryset(self) -> QuerySet[Case]:
        filters: dict[str, Any] = {}
        if self.action == "list":
            query = CaseQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            filters = {k: v for k, v in query.validated_data.items() if v}
        queryset = selectors.cases_visible_to(self.request.user).select_related("department")
        if filters:
            queryset = queryset.filter(
                pk__in=selectors.department_cases(self.request.user, filters).values("pk")
            )
        return queryset.order_by("next_due_on", "id")

    @extend_schema(responses=TaskSerializer(many=True))
    @action(detail=True, methods=["get"])
    def tasks(self, request: Request, public_id: str) -> Response:
        case = self.get_object()
        case_access = selectors.case_access(request.user, case)
        tasks = case.tasks.select_related("department", "clock").order_by("id")
        if not case_access.is_lead:
            tasks = tasks.filter(department_id__in=sorted(case_access.department_ids))
        return Response(TaskSerializer(tasks, many=True).data)

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<name>[a-z_]+)")
    def run_action(self, request: Request, public_id: str, name: str) -> Response:
        case = self.get_object()
        step = ACTIONS.get(name)
        if step is None:
            raise Http404
        if not step.allowed(case, selectors.case_access(request.user, case)):
            raise PermissionDenied
        form = step.form(request.data, request.FILES, case=case, user=request.user)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors.get_json_data())
        step.run(request.user, case, cleaned(step, form))
        case.refresh_from_db()
        return Response(CaseSerializer(case).data)


@extend_schema(tags=["cases"])
class AssistanceRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[AssistanceRequest]
):
    """Assistance requests (协查函) sent by or to the caller's departments."""

    serializer_class = AssistanceSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[AssistanceRequest]:
        return selectors.assistance_visible_to(self.request.user).order_by("id")


@extend_schema(tags=["cases"])
class DecisionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Decision]
):
    """Decisions of the cases the caller may see (proposed ones only for the lead)."""

    serializer_class = DecisionSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Decision]:
        led = selectors.Case.objects.led_by(self.request.user)
        return (
            Decision.objects.filter(case__in=selectors.cases_visible_to(self.request.user))
            .exclude(
                state="proposed", case__in=selectors.Case.objects.exclude(pk__in=led.values("pk"))
            )
            .select_related("case", "department")
            .prefetch_related("items")
            .order_by("id")
        )

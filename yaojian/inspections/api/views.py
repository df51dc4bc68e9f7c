"""Views of the inspections API: plans, double-random draws, inspection records, ratings.

Rows come from the app's selectors (the scoping chokepoint): an object of another
department answers 404 like a missing one; an action the caller's roles do not allow
answers 403.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import has_permission
from yaojian.core.pagination import CappedCountPagination
from yaojian.inspections import permissions, selectors, services
from yaojian.inspections.api.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    DrawCreateSerializer,
    DrawnEntitySerializer,
    DrawSerializer,
    InspectionSerializer,
    PlanCreateSerializer,
    PlanSerializer,
    RatingSerializer,
    RecordResultSerializer,
    VerificationSerializer,
)
from yaojian.inspections.models import (
    Assignment,
    Draw,
    DrawnEntity,
    EntityRating,
    Inspection,
    Plan,
)


def _key(value: Any) -> uuid.UUID:
    """The UUID in a path, or the API's 404 (a malformed id names nothing)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound from None


def _require(request: Request, permission: str) -> None:
    """403 unless one of the caller's roles grants ``permission`` somewhere."""
    if not has_permission(request.user, permission):
        raise PermissionDenied


@extend_schema(tags=["inspections"])
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Plan]):
    """Inspection plans of the caller's departments, of the joint plans they take part in and
    of the departments they oversee (`inspections.view_plan`). Department heads create plans
    (`inspections.add_plan`) and run their double-random draws (`inspections.draw_plan`)."""

    serializer_class = PlanSerializer
    lookup_field = "public_id"
    filterset_fields = ["year", "kind", "state"]

    def get_queryset(self) -> QuerySet[Plan]:
        if getattr(self, "swagger_fake_view", False):
            return Plan.objects.none()
        _require(self.request, permissions.VIEW_PLAN)
        return selectors.plans_visible_to(self.request.user).prefetch_related("joint_departments")

    def get_object(self) -> Plan:
        _require(self.request, permissions.VIEW_PLAN)
        return selectors.get_plan_for_user(self.request.user, _key(self.kwargs["public_id"]))

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer})
    def create(self, request: Request) -> Response:
        """Create a plan (`inspections.add_plan`): items of the 抽查事项清单, scope, proportion,
        team size and the joint departments."""
        _require(request, permissions.ADD_PLAN)
        data_in = PlanCreateSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = data_in.validated_data
        departments = list(selectors.departments_with(request.user, permissions.ADD_PLAN))
        if data.get("department"):
            department = next((d for d in departments if d.public_id == data["department"]), None)
        else:
            department = departments[0] if departments else None
        if department is None:
            raise PermissionDenied
        wanted = list(dict.fromkeys(data["joint_departments"]))
        joint = list(Department.objects.filter(public_id__in=wanted, is_active=True))
        if len(joint) != len(wanted):
            raise ApiValidationError({"joint_departments": ["Unknown department."]})
        scope = {key: value for key, value in (data.get("scope") or {}).items() if value}
        plan = services.create_plan(
            actor=request.user,
            department=department,
            year=data["year"],
            kind=data["kind"],
            title=data["title"],
            items=data["items"],
            proportion=data["proportion"],
            inspection_kind=data["inspection_kind"],
            scope=scope,
            inspectors_per_entity=data["inspectors_per_entity"],
            exclude_cell_officers=data["exclude_cell_officers"],
            joint_departments=joint,
        )
        created = selectors.plans_visible_to(request.user).get(pk=plan.pk)
        return Response(PlanSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DrawCreateSerializer, responses={201: DrawSerializer})
    @action(detail=True, methods=["post"])
    def draws(self, request: Request, public_id: str) -> Response:
        """Run a double-random draw of the plan (`inspections.draw_plan`). The same seed over
        the same snapshots gives the same result; an inspector pool too small for the teams
        is refused with the numbers (400)."""
        plan = self.get_object()
        data_in = DrawCreateSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        draw = services.make_draw(
            actor=request.user, plan=plan, seed=data_in.validated_data.get("seed", "")
        )
        return Response(DrawSerializer(draw).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["inspections"])
class DrawViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Draw]):
    """Double-random draws of the plans the caller sees: seed, algorithm version, snapshot
    hashes and result hash; `results` lists the entities drawn with their teams,
    `verification` runs the draw again from its stored snapshots."""

    serializer_class = DrawSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Draw]:
        if getattr(self, "swagger_fake_view", False):
            return Draw.objects.none()
        _require(self.request, permissions.VIEW_PLAN)
        return (
            Draw.objects.filter(plan__in=Plan.objects.visible_to(self.request.user).values("pk"))
            .select_related("plan", "drawn_by")
            .defer("pool_blob", "inspector_blob")
            .order_by("-created_at", "-id")
        )

    def get_object(self) -> Draw:
        _require(self.request, permissions.VIEW_PLAN)
        return selectors.get_draw_for_user(self.request.user, _key(self.kwargs["public_id"]))

    @extend_schema(responses=DrawnEntitySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=CappedCountPagination)
    def results(self, request: Request, public_id: str) -> Response:
        """The entities drawn, in the draw's order, with their teams."""
        draw = self.get_object()
        rows: Any = (  # a page of another model than the viewset's
            DrawnEntity.objects.filter(draw=draw)
            .select_related("entity", "inspection")
            .prefetch_related(
                Prefetch(
                    "team",
                    queryset=Assignment.objects.select_related("inspector", "department"),
                )
            )
            .order_by("position")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DrawnEntitySerializer(page, many=True).data)

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "position",
                int,
                OpenApiParameter.PATH,
                description="The entity's place in the draw.",
            )
        ],
        responses={201: InspectionSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"results/(?P<position>[0-9]+)/start")
    def start(self, request: Request, public_id: str, position: str) -> Response:
        """Open the inspection of a drawn entity (a member of its team, or the plan's head);
        answers the same inspection when it was opened already."""
        draw = self.get_object()
        drawn = DrawnEntity.objects.select_related("draw__plan", "entity").get(
            draw=draw, position=int(position)
        )
        inspection = services.start_from_assignment(actor=request.user, drawn=drawn)
        row = Inspection.objects.select_related("entity", "department", "plan").get(
            pk=inspection.pk
        )
        return Response(InspectionSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=VerificationSerializer)
    @action(detail=True, methods=["get"])
    def verification(self, request: Request, public_id: str) -> Response:
        """Run the draw again from its stored snapshots (as `manage.py verify_draw`)."""
        draw = self.get_object()
        verified, reason = services.verify_draw(draw)
        return Response({"verified": verified, "reason": str(reason)})


@extend_schema(tags=["inspections"])
class InspectionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Inspection]
):
    """Inspection records of the caller's departments, of those they oversee, and those the
    caller is on the team of (`inspections.view_inspection`). The team records the result
    (`result`); a critical finding proposes a case, a finding in another remit notifies that
    department, a major one schedules a follow-up."""

    serializer_class = InspectionSerializer
    lookup_field = "public_id"
    filterset_fields = ["state", "kind"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Inspection]:
        if getattr(self, "swagger_fake_view", False):
            return Inspection.objects.none()
        _require(self.request, permissions.VIEW)
        return (
            selectors.inspections_visible_to(self.request.user)
            .select_related("plan")
            .prefetch_related("inspectors", "findings")
            .order_by("-scheduled_on", "-id")
        )

    def get_object(self) -> Inspection:
        _require(self.request, permissions.VIEW)
        return self.get_queryset().get(public_id=_key(self.kwargs["public_id"]))

    @extend_schema(request=RecordResultSerializer, responses={200: InspectionSerializer})
    @action(detail=True, methods=["post"])
    def result(self, request: Request, public_id: str) -> Response:
        """Record what the team found on site (only the team; once)."""
        inspection = self.get_object()
        data_in = RecordResultSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = data_in.validated_data
        services.record_inspection(
            actor=request.user,
            inspection=inspection,
            answers=dict(data["answers"]),
            findings=[dict(f) for f in data["findings"]],
            conclusion=data["conclusion"],
            summary=data["summary"],
            signed_by=data["signed_by"],
            refused=data["refused"],
            refusal_note=data["refusal_note"],
            inspected_on=data["inspected_on"],
        )
        return Response(InspectionSerializer(self.get_object()).data)

    @extend_schema(
        methods=["GET"],
        responses=AttachmentSerializer(many=True),
        description="The photos and files of the inspection (whoever may see it).",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
        description=(
            "Add a photo (JPEG, PNG, WebP) or a PDF file, at most 10 MB, checked by its first "
            "bytes (the team; not once the result is published). Another type or a larger file "
            "is refused (400); audited with its SHA-256."
        ),
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def files(self, request: Request, public_id: str) -> Response:
        """On-site evidence: list the inspection's photos and files, or add one."""
        inspection = self.get_object()
        if request.method == "POST":
            data_in = AttachmentUploadSerializer(data=request.data)
            data_in.is_valid(raise_exception=True)
            attachment = services.add_attachment(
                actor=request.user, inspection=inspection, upload=data_in.validated_data["file"]
            )
            return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
        rows = inspection.attachments.order_by("id")
        return Response(AttachmentSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "sha256", str, OpenApiParameter.PATH, description="The file's SHA-256 (hex)."
            )
        ],
        responses={
            **{
                (200, content_type): OpenApiResponse(
                    OpenApiTypes.BINARY,
                    description="The file as recorded (its SHA-256 in X-Content-SHA256).",
                )
                for content_type in services.UPLOAD_TYPES
            },
            404: OpenApiResponse(description="Missing, or not readable by the caller."),
        },
    )
    @action(detail=True, methods=["get"], url_path=r"files/(?P<sha256>[0-9a-f]{64})")
    def file(self, request: Request, public_id: str, sha256: str) -> HttpResponse:
        """Download one photo or file of the inspection (audited)."""
        inspection = self.get_object()
        attachment = selectors.attachment_of(inspection, sha256)
        if attachment is None:
            raise NotFound
        content = selectors.attachment_bytes(attachment)
        services.record_file_read(actor=request.user, attachment=attachment, purpose="api")
        response = HttpResponse(content, content_type=attachment.content_type)
        response["Content-Disposition"] = f'attachment; filename="{attachment.sha256}"'
        response["X-Content-SHA256"] = attachment.sha256
        return response


@extend_schema(tags=["inspections"])
class RatingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[EntityRating]
):
    """Risk ratings and inspection frequency of the entities in the caller's jurisdiction
    (`inspections.view_inspection`), the soonest due first; one entity's worksheet by the
    entity's public id."""

    serializer_class = RatingSerializer
    pagination_class = CappedCountPagination
    lookup_field = "entity__public_id"
    lookup_url_kwarg = "entity"
    filterset_fields = ["rating", "floor_rule"]

    def get_queryset(self) -> QuerySet[EntityRating]:
        if getattr(self, "swagger_fake_view", False):
            return EntityRating.objects.none()
        _require(self.request, permissions.VIEW)
        return (
            EntityRating.objects.visible_to(self.request.user)
            .select_related("entity")
            .order_by("due_on", "entity_id")
        )

    def get_object(self) -> EntityRating:
        _require(self.request, permissions.VIEW)
        return selectors.rating_of(self.request.user, _key(self.kwargs["entity"]))

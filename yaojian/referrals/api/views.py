"""Views of the referrals API: list, one, create (transfer report), steps, evidence bundle."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yaojian.accounts.models import Department, User
from yaojian.enforcement.selectors import get_case_for_user
from yaojian.referrals import exports, selectors, services
from yaojian.referrals.api.serializers import CreateSerializer, ReferralSerializer, StepSerializer
from yaojian.referrals.choices import ACTIONS
from yaojian.referrals.models import Referral

WHO = {"head": "approve", "agency": "change", "police": "answer"}


def _department(code: str) -> Department | None:
    return Department.objects.filter(code=code).first() if code else None


def _call(action_name: str, actor: Any, referral: Referral, d: dict[str, Any]) -> Referral:
    if action_name == "decide":
        return services.decide_referral(
            actor=actor,
            referral=referral,
            approve=d["approve"],
            reasons=d["reasons"],
            police_department=_department(d["police_department"]),
        )
    if action_name == "transfer":
        return services.transfer_referral(
            actor=actor, referral=referral, attachments=d["attachments"]
        )
    if action_name == "receipt":
        return services.receive_referral(
            actor=actor, referral=referral, complexity=d["complexity"], approval=d["approval"]
        )
    if action_name == "forward":
        target = _department(d["to_department"])
        if target is None:
            raise ValidationError({"to_department": ["Unknown department."]})
        return services.forward_referral(
            actor=actor, referral=referral, to_department=target, reasons=d["reasons"]
        )
    if action_name == "answer":
        return services.answer_referral(
            actor=actor,
            referral=referral,
            accept=d["accept"],
            reasons=d["reasons"],
            police_case_number=d["police_case_number"],
        )
    if action_name == "request_reconsideration":
        return services.request_reconsideration(
            actor=actor, referral=referral, reasons=d["reasons"]
        )
    if action_name == "decide_reconsideration":
        return services.decide_reconsideration(
            actor=actor, referral=referral, accept=d["accept"], reasons=d["reasons"]
        )
    if action_name == "request_supervision":
        return services.request_supervision(
            actor=actor, referral=referral, procuratorate=d["procuratorate"], note=d["note"]
        )
    return services.hand_over(actor=actor, referral=referral, note=d["note"])


class ReferralViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Referral]
):
    """Referrals of the caller's department, or addressed to the caller's police department."""

    serializer_class = ReferralSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Referral]:
        return selectors.referrals_visible_to(self.request.user)

    def get_object(self) -> Referral:
        return selectors.get_referral_for_user(self.request.user, self.kwargs["public_id"])

    @extend_schema(request=CreateSerializer, responses={201: ReferralSerializer})
    def create(self, request: Request) -> Response:
        """Record the team's transfer report on a case."""
        data = CreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = get_case_for_user(request.user, data.validated_data["case"], action="change")
        team = list(User.objects.filter(public_id__in=data.validated_data["team"]))
        referral = services.create_referral(
            actor=request.user,
            case=case,
            suspected_crime=data.validated_data["suspected_crime"],
            report=data.validated_data["report"],
            team=team,
        )
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StepSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def steps(self, request: Request, public_id: str) -> Response:
        """Take one step (``action``: decide, transfer, receipt, forward, answer, …)."""
        referral = self.get_object()
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        name = data.validated_data["action"]
        if not selectors.can(request.user, referral, WHO[ACTIONS[name][1]]):
            raise PermissionDenied
        referral = _call(name, request.user, referral, data.validated_data)
        referral = selectors.get_referral_for_user(request.user, referral.public_id)
        return Response(ReferralSerializer(referral).data)

    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def bundle(self, request: Request, public_id: str) -> HttpResponse:
        """The evidence bundle (zip; audited)."""
        referral = self.get_object()
        content = exports.export_bundle(actor=request.user, referral=referral)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="referral-{public_id}.zip"'
        return response

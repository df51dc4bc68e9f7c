"""Views of the credit API: the restriction check, the dishonesty list, records, repair."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yaojian.accounts.scoping import has_permission
from yaojian.credit import permissions as perms
from yaojian.credit import restrictions, selectors, services
from yaojian.credit.api.serializers import (
    CheckedDecisionCreateSerializer,
    CheckedDecisionSerializer,
    ListedEntitySerializer,
    RecordCreateSerializer,
    RecordSerializer,
    RepairCreateSerializer,
    RestrictionAnswerSerializer,
    RestrictionQuerySerializer,
)
from yaojian.credit.choices import RecordOrigin
from yaojian.credit.models import CheckedDecision, CreditRecord, Listing
from yaojian.registry.decisions import DecisionSubject
from yaojian.registry.services.validation import FieldErrors


def _answer(found: list[Any]) -> dict[str, Any]:
    return {
        "restricted": bool(found),
        "reasons": [
            {
                "measure": r.measure,
                "legal_basis": r.legal_basis,
                "source_department": r.source_department,
                "until": r.until,
            }
            for r in found
        ],
    }


class RestrictionView(APIView):
    """处处受限: is an action restricted for an entity (GET, by credit code) or a person (POST,
    identity card number in the body — never in a URL).

    The permission (every role holds it) is checked in the check's own statement
    (``restrictions.check_for_caller``); the answer carries ``Server-Timing: check;dur=<ms>``,
    the time of the check itself (benchmarks)."""

    def _answer(self, request: Request, subject: Any, action: str) -> Response:
        started = time.perf_counter()
        allowed, found = restrictions.check_for_caller(request.user, subject, action, perms.VIEW)
        elapsed = (time.perf_counter() - started) * 1000
        if not allowed:
            raise PermissionDenied
        response = Response(_answer(found))
        response["Server-Timing"] = f"check;dur={elapsed:.2f}"
        return response

    @extend_schema(
        parameters=[RestrictionQuerySerializer],
        responses=RestrictionAnswerSerializer,
        summary="Check a restriction for an entity",
    )
    def get(self, request: Request) -> Response:
        if "id_number" in request.query_params:
            raise ValidationError(
                {"id_number": ["Send an identity card number only in the body of a POST."]}
            )
        query = RestrictionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        subject = (query.validated_data.get("subject") or "").strip().upper()
        if not subject:
            raise ValidationError({"subject": ["Give the unified social credit code."]})
        return self._answer(request, subject, query.validated_data["action"])

    @extend_schema(
        request=RestrictionQuerySerializer,
        responses=RestrictionAnswerSerializer,
        summary="Check a restriction for a person or an entity",
    )
    def post(self, request: Request) -> Response:
        query = RestrictionQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        number = (data.get("id_number") or "").strip().upper()
        subject: Any = (
            DecisionSubject(id_number=number) if number else (data.get("subject") or "").upper()
        )
        if not subject:
            raise ValidationError({"subject": ["Give a credit code or an identity card number."]})
        return self._answer(request, subject, data["action"])


class DishonestyListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Listing]):
    """The serious-dishonesty list as published, with the entities' credit codes."""

    serializer_class = ListedEntitySerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Listing.objects.none()
        if not has_permission(self.request.user, perms.VIEW):
            raise PermissionDenied
        return selectors.public_listings()


class CreditRecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[CreditRecord]
):
    """Credit records in the caller's jurisdiction; POST records a fact (by credit code or, in
    the body, a person's identity card number); ``repair`` applies for credit repair."""

    serializer_class = RecordSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> Any:
        return selectors.records_for_user(self.request.user)

    def get_object(self) -> CreditRecord:
        return selectors.get_record_for_user(self.request.user, self.kwargs["public_id"])

    @extend_schema(request=RecordCreateSerializer, responses={201: RecordSerializer})
    def create(self, request: Request) -> Response:
        data_in = RecordCreateSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = data_in.validated_data
        errors = FieldErrors()
        entity = services.resolve_entity(errors, "subject", request.user, data["subject"])
        person = services.resolve_person(errors, "id_number", request.user, data["id_number"])
        errors.raise_if_any()
        item = services.create_record(
            actor=request.user,
            entity=entity,
            person=person,
            kind=data["kind"],
            legal_basis=data["legal_basis"],
            occurred_on=data["occurred_on"],
            expires_on=data["expires_on"],
            summary=data["summary"],
            origin=RecordOrigin.API,
        )
        return Response(RecordSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RepairCreateSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def repair(self, request: Request, public_id: str) -> Response:
        item = self.get_object()
        data_in = RepairCreateSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        application = services.apply_for_repair(
            actor=request.user, item=item, **data_in.validated_data
        )
        return Response(
            {"public_id": str(application.public_id), "state": application.state},
            status=status.HTTP_201_CREATED,
        )


class CheckedDecisionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[CheckedDecision]):
    """Honours (评优评先) and 告知承诺制 approvals in the caller's jurisdiction. POST records
    one after the restriction check: a restricted decision answers 400 with the reasons under
    ``override_reason`` unless a head overrode it (audited)."""

    serializer_class = CheckedDecisionSerializer

    def get_queryset(self) -> Any:
        return selectors.checked_decisions_for_user(self.request.user)

    @extend_schema(
        request=CheckedDecisionCreateSerializer, responses={201: CheckedDecisionSerializer}
    )
    def create(self, request: Request) -> Response:
        from yaojian.credit.checked_decisions import record_checked_decision

        if not has_permission(request.user, perms.ADD_DECISION):
            raise PermissionDenied
        data_in = CheckedDecisionCreateSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        decision = record_checked_decision(actor=request.user, **data_in.validated_data)
        return Response(CheckedDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

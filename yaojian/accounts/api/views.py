"""Views of the accounts API."""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yaojian.accounts.api.filters import DepartmentFilter
from yaojian.accounts.api.serializers import DepartmentSerializer, MeSerializer
from yaojian.accounts.models import Department, User
from yaojian.accounts.selectors import departments_visible_to


@extend_schema(tags=["departments"])
class DepartmentViewSet(viewsets.ReadOnlyModelViewSet[Department]):
    """The directory of departments (open to every member of a department)."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Department]:
        return departments_visible_to(self.request.user)


@extend_schema(tags=["me"])
class MeView(APIView):
    """The calling user or partner system: its departments, roles and permissions."""

    @extend_schema(operation_id="me_retrieve", responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)  # IsAuthenticated: never anonymous here
        return Response(MeSerializer(user).data)

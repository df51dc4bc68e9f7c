"""Views of the territory API (read-only reference data)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets

from yaojian.territory.api.filters import GridCellFilter, RegionFilter
from yaojian.territory.api.serializers import GridCellSerializer, RegionSerializer
from yaojian.territory.models import GridCell, Region

_Row = TypeVar("_Row")


@extend_schema(tags=["regions"])
class RegionViewSet(viewsets.ReadOnlyModelViewSet[Region]):
    """Administrative divisions, looked up by their 6-digit code.

    A single region is found by its code even when abolished; lists leave abolished
    codes out unless ``include_abolished=true``.
    """

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{6}"

    def filter_queryset(self, queryset: QuerySet[Region, _Row]) -> QuerySet[Region, _Row]:
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)


@extend_schema(tags=["grid-cells"])
class GridCellViewSet(viewsets.ReadOnlyModelViewSet[GridCell]):
    """Grid cells in the caller's jurisdictions."""

    serializer_class = GridCellSerializer
    filterset_class = GridCellFilter
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[GridCell]:
        return (
            GridCell.objects.visible_to(self.request.user)
            .select_related("region")
            .prefetch_related("officers")
        )

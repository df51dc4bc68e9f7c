"""Serializers of the territory API: shape only, no writes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from yaojian.territory.models import GridCell, Region


class RegionSerializer(serializers.ModelSerializer[Region]):
    """An administrative division (GB/T 2260); abolished ones keep their code."""

    is_current = serializers.BooleanField(
        read_only=True, help_text=_("False once the code has been abolished.")
    )

    class Meta:
        model = Region
        fields = [
            "code",
            "name",
            "kind",
            "level",
            "parent",
            "valid_from",
            "valid_to",
            "successor",
            "is_current",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "parent": {"help_text": _("Division code of the region above, if any.")},
            "successor": {
                "help_text": _("Division code of the region that replaced an abolished one.")
            },
        }


class GridOfficerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An officer responsible for a grid cell."""

    class Meta:
        model = get_user_model()
        fields = ["public_id", "full_name"]
        read_only_fields = fields


class GridCellSerializer(serializers.ModelSerializer[GridCell]):
    """A regulatory grid cell inside a county, with its responsible officers."""

    region_name = serializers.CharField(source="region.name", read_only=True)
    officers = GridOfficerSerializer(many=True, read_only=True)

    class Meta:
        model = GridCell
        fields = ["public_id", "code", "name", "region", "region_name", "officers", "description"]
        read_only_fields = fields
        extra_kwargs = {"region": {"help_text": _("Division code of the county the cell lies in.")}}

"""Filters of the territory API."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from yaojian.territory.choices import RegionLevel
from yaojian.territory.codes import subtree_q
from yaojian.territory.models import GridCell, Region

region_code_validator = RegexValidator(
    r"^\d{6}$", _("Enter an administrative division code of 6 digits.")
)


class RegionFilter(filters.FilterSet):
    """``?level=&parent=&q=&include_abolished=`` (abolished codes are left out by default)."""

    level = filters.ChoiceFilter(choices=RegionLevel.choices)
    parent = filters.CharFilter(
        field_name="parent_id",
        validators=[region_code_validator],
        label=_("Division code of the region above."),
    )
    q = filters.CharFilter(
        field_name="name",
        lookup_expr="contains",
        max_length=64,
        label=_("A fragment of the name."),
    )
    include_abolished = filters.BooleanFilter(
        method="filter_include_abolished",
        label=_("Also list abolished codes."),
    )

    class Meta:
        model = Region
        fields = ["level", "parent", "q", "include_abolished"]

    def filter_include_abolished(
        self, queryset: QuerySet[Region], name: str, value: bool
    ) -> QuerySet[Region]:
        return queryset  # applied in filter_queryset, which also sees the flag's absence

    def filter_queryset(self, queryset: QuerySet[Region]) -> QuerySet[Region]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("include_abolished"):
            queryset = queryset.filter(valid_to__isnull=True)
        return queryset


class GridCellFilter(filters.FilterSet):
    """``?region=&q=`` (region: the cell lies in that region or below it)."""

    region = filters.CharFilter(
        method="filter_region",
        validators=[region_code_validator],
        label=_("Cells in this region or below it."),
    )
    q = filters.CharFilter(
        field_name="name",
        lookup_expr="contains",
        max_length=64,
        label=_("A fragment of the name."),
    )

    class Meta:
        model = GridCell
        fields = ["region", "q"]

    def filter_region(
        self, queryset: QuerySet[GridCell], name: str, value: str
    ) -> QuerySet[GridCell]:
        return queryset.filter(subtree_q("region", value))

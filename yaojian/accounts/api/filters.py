"""Filters of the accounts API."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel
from yaojian.accounts.models import Department

region_code_validator = RegexValidator(
    r"^\d{6}$", _("Enter an administrative division code of 6 digits.")
)


class DepartmentFilter(filters.FilterSet):
    """``?kind=&level=&region=`` (region: the jurisdiction is that region or lies below it)."""

    kind = filters.ChoiceFilter(choices=DepartmentKind.choices)
    level = filters.ChoiceFilter(choices=DepartmentLevel.choices)
    region = filters.CharFilter(
        method="filter_region",
        validators=[region_code_validator],
        label=_("Departments whose jurisdiction is this region or lies below it."),
    )

    class Meta:
        model = Department
        fields = ["kind", "level", "region"]

    def filter_region(
        self, queryset: QuerySet[Department], name: str, value: str
    ) -> QuerySet[Department]:
        # Regions form a three-level tree: the region itself, its children, grandchildren.
        return queryset.filter(
            Q(region_id=value) | Q(region__parent_id=value) | Q(region__parent__parent_id=value)
        )

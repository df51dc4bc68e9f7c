"""Filters of entity and product lists, shared by the pages and the API (NetBox style).

The filter methods call the selectors' query builders, so a search means the same thing
everywhere. Pass ``request`` (its user decides which regions are offered).
"""

from __future__ import annotations

import functools
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yaojian.registry import selectors
from yaojian.registry.choices import EntityKind, LicenceStatus, ProductKind, RiskClass
from yaojian.registry.models import Entity, Product


class EntityFilterSet(django_filters.FilterSet):
    """One search box (name fragment, credit code or licence number) and three filters."""

    q = django_filters.CharFilter(
        label=_("Search"),
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, credit code or licence number")}
        ),
    )
    region = django_filters.ChoiceFilter(label=_("Region"), empty_label=_("All regions"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=EntityKind.choices, empty_label=_("All kinds")
    )
    licence_status = django_filters.ChoiceFilter(
        label=_("Licence status"),
        choices=LicenceStatus.choices,
        empty_label=_("Any licence status"),
    )

    class Meta:
        model = Entity
        fields = ["q", "region", "kind", "licence_status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        # A callable: the regions are only queried when the form field is used, and once (the
        # field reads its choices to validate and again to render).
        self.filters["region"].extra["choices"] = functools.cache(
            lambda: selectors.region_choices(user)
        )

    def filter_queryset(self, queryset: QuerySet[Entity]) -> QuerySet[Entity]:
        """All filters in one call: the region narrows first and the search box comes last,
        so the search knows the list it narrows (``selectors.filter_entities``)."""
        data = self.form.cleaned_data
        for name, value in data.items():  # the filters of subclasses (the API's)
            if name not in ("q", "region", "kind", "licence_status"):
                queryset = self.filters[name].filter(queryset, value)
        return selectors.filter_entities(
            queryset,
            q=data.get("q") or "",
            region=data.get("region") or None,
            kind=data.get("kind") or None,
            licence_status=data.get("licence_status") or None,
        )


class ProductFilterSet(django_filters.FilterSet):
    """Name, generic name or approval number fragment; kind, risk class, Tibetan medicine."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name or approval number")}
        ),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ProductKind.choices, empty_label=_("All kinds")
    )
    risk_class = django_filters.ChoiceFilter(
        label=_("Risk class"), choices=RiskClass.choices, empty_label=_("All risk classes")
    )
    tibetan = django_filters.BooleanFilter(
        label=_("Tibetan medicine"),
        method="filter_tibetan",
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Tibetan medicine only")), ("false", _("Others"))]
        ),
    )

    class Meta:
        model = Product
        fields = ["q", "kind", "risk_class", "tibetan"]

    def filter_q(self, queryset: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        return selectors.filter_products(queryset, q=value)

    def filter_tibetan(
        self, queryset: QuerySet[Product], name: str, value: bool | None
    ) -> QuerySet[Product]:
        return selectors.filter_products(queryset, tibetan=value)

"""Filters of the registry API: the staff pages' filter sets (``registry.filtersets``) with
the few filters partner systems need on top, and the licence and person filters."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from yaojian.registry import selectors
from yaojian.registry.choices import EntityStatus, EthnicMedicine, LicenceKind, LicenceStatus
from yaojian.registry.filtersets import EntityFilterSet, ProductFilterSet
from yaojian.registry.identifiers import normalise_identifier
from yaojian.registry.models import EntityPerson, Licence, Person, Product
from yaojian.territory.codes import subtree_q

region_code_validator = RegexValidator(
    r"^\d{6}$", _("Enter an administrative division code of 6 digits.")
)
SEARCH_MAX_LENGTH = 100


class EntityFilter(EntityFilterSet):
    """The entity search of the staff pages (``q``, ``region``, ``kind``, ``licence_status``)
    plus ``status`` and ``updated_after`` for partner systems."""

    status = filters.ChoiceFilter(choices=EntityStatus.choices)
    updated_after = filters.IsoDateTimeFilter(
        field_name="updated_at",
        method="filter_updated_after",
        label=_("Entities changed at or after this time (ISO 8601), for synchronising."),
    )

    class Meta(EntityFilterSet.Meta):
        fields = [*EntityFilterSet.Meta.fields, "status", "updated_after"]

    def filter_updated_after(self, queryset: QuerySet, name: str, value: dt.datetime) -> QuerySet:
        # In UTC: ISO 8601 allows offsets (up to ±23:59) that PostgreSQL refuses as literals.
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return queryset.filter(updated_at__gte=value)


class LicenceFilter(filters.FilterSet):
    """``?entity=&kind=&status=&number=``."""

    entity = filters.UUIDFilter(
        field_name="entity__public_id", label=_("Public id of the entity holding the licence.")
    )
    kind = filters.ChoiceFilter(choices=LicenceKind.choices)
    status = filters.ChoiceFilter(choices=LicenceStatus.choices)
    number = filters.CharFilter(
        method="filter_number",
        max_length=SEARCH_MAX_LENGTH,
        label=_("The exact licence number (full-width characters and spaces are ignored)."),
    )

    class Meta:
        model = Licence
        fields = ["entity", "kind", "status", "number"]

    def filter_number(
        self, queryset: QuerySet[Licence], name: str, value: str
    ) -> QuerySet[Licence]:
        numbers = selectors.licence_numbers_for_search(value) | {value.strip()}
        return queryset.filter(number__in=sorted(numbers))


class ProductFilter(ProductFilterSet):
    """The product search of the staff pages plus ``ethnic_medicine`` and ``approval_number``."""

    ethnic_medicine = filters.ChoiceFilter(
        choices=[(value, label) for value, label in EthnicMedicine.choices if value],
        label=_("Ethnic-medicine attribute."),
    )
    approval_number = filters.CharFilter(
        method="filter_approval_number",
        max_length=SEARCH_MAX_LENGTH,
        label=_("The exact approval number (full-width characters and spaces are ignored)."),
    )

    class Meta(ProductFilterSet.Meta):
        fields = [*ProductFilterSet.Meta.fields, "ethnic_medicine", "approval_number"]

    def filter_approval_number(
        self, queryset: QuerySet[Product], name: str, value: str
    ) -> QuerySet[Product]:
        forms = sorted({value.strip(), normalise_identifier(value)})
        return queryset.filter(approval_number__in=forms)


class PersonFilter(filters.FilterSet):
    """``?q=&entity=&region=``."""

    q = filters.CharFilter(
        field_name="name",
        lookup_expr="contains",
        max_length=64,
        label=_("A fragment of the name."),
    )
    entity = filters.UUIDFilter(
        method="filter_entity", label=_("Public id of an entity the person is linked to.")
    )
    region = filters.CharFilter(
        method="filter_region",
        validators=[region_code_validator],
        label=_("Persons in this region or below it."),
    )

    class Meta:
        model = Person
        fields = ["q", "entity", "region"]

    def filter_entity(
        self, queryset: QuerySet[Person], name: str, value: uuid.UUID
    ) -> QuerySet[Person]:
        links = EntityPerson.objects.filter(person=OuterRef("pk"), entity__public_id=value)
        return queryset.filter(Exists(links))

    def filter_region(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(subtree_q("region", value))

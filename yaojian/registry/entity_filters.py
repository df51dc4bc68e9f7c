"""Filters of the entity search that apps above the registry contribute (the grade of credit),
without the registry importing them — the same kind of hook as the profile's panels and the
decision hook. An app registers from its ``AppConfig.ready()``::

    register_entity_filter("grade", make_filter, apply)

``make_filter()`` returns a django-filter ``Filter`` (its form field joins the filter bar of
the entity list, the API's query parameters and the OpenAPI schema); ``apply(queryset, value)``
narrows a queryset of entities (also used by the CSV export, which runs later as a job).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class EntityFilter:
    name: str
    make_filter: Callable[[], Any]
    apply: Callable[[QuerySet[Any], str], QuerySet[Any]]


ENTITY_FILTERS: dict[str, EntityFilter] = {}


def register_entity_filter(
    name: str,
    make_filter: Callable[[], Any],
    apply: Callable[[QuerySet[Any], str], QuerySet[Any]],
) -> None:
    """Add (or replace) a filter of the entity search; idempotent, so ``ready()`` may run twice.

    The filter is declared on ``EntityFilterSet`` and on the filter sets built on it (the
    API's), so pages, API and schema all see it.
    """
    from yaojian.registry.filtersets import EntityFilterSet

    ENTITY_FILTERS[name] = EntityFilter(name=name, make_filter=make_filter, apply=apply)
    pending: list[type[Any]] = [EntityFilterSet]
    while pending:
        cls = pending.pop()
        made = make_filter()
        made.field_name = name
        cls.declared_filters[name] = made
        cls.base_filters[name] = made
        pending.extend(cls.__subclasses__())


def apply_entity_filters(queryset: QuerySet[Any], values: dict[str, Any]) -> QuerySet[Any]:
    """``queryset`` narrowed by every contributed filter given a value in ``values``."""
    for name, entity_filter in ENTITY_FILTERS.items():
        value = values.get(name)
        if value not in (None, ""):
            queryset = entity_filter.apply(queryset, str(value))
    return queryset

"""The credit grade filter that credit contributes to the registry's entity search
(``registry.entity_filters``): the entity list's filter bar, ``/api/v1/entities/?grade=`` and
the CSV export."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yaojian.credit import selectors
from yaojian.credit.choices import Grade


def _by_grade(queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
    return selectors.entities_with_grade(queryset, value) if value else queryset


def grade_filter() -> django_filters.ChoiceFilter:
    """Entities whose current credit grade is A, B, C or D (never graded: none of them)."""
    return django_filters.ChoiceFilter(
        label=_("Credit grade"),
        choices=Grade.choices,
        empty_label=_("Any credit grade"),
        method=_by_grade,
        help_text=_("The current credit grade (A good … D serious dishonesty)."),
    )


def register() -> None:
    from yaojian.registry.entity_filters import register_entity_filter

    register_entity_filter("grade", grade_filter, selectors.entities_with_grade)

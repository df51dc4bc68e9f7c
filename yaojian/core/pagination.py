"""Pagination shared by the UI (Django) and the API (DRF), incl. a count that stops at a cap.

For searches over millions of rows:

Counting every match of a broad search ("大药房" matches a quarter of a national register)
costs far more than fetching the page itself; past the cap the exact number is of no use on
a search screen. ``count`` is exact up to ``count_cap`` and ``count_cap + 1`` beyond (see
``count_is_capped``). Measured in docs/benchmarks.md.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

SEARCH_COUNT_CAP = 1_000


class CappedCountPaginator(Paginator):
    """``Paginator`` that counts at most ``count_cap + 1`` rows."""

    count_cap = SEARCH_COUNT_CAP

    def __init__(self, *args: Any, count_cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if count_cap is not None:
            self.count_cap = count_cap

    @cached_property
    def count(self) -> int:
        object_list: Any = self.object_list
        if hasattr(object_list, "query"):  # a queryset: COUNT over a LIMITed subquery
            return int(object_list[: self.count_cap + 1].count())
        return min(len(object_list), self.count_cap + 1)

    @property
    def count_is_capped(self) -> bool:
        """True when there are more rows than the cap (``count`` is then cap + 1)."""
        return self.count > self.count_cap


class StandardPagination(PageNumberPagination):
    """``?page=N&page_size=M`` (at most 500 a page)."""

    page_size_query_param = "page_size"
    max_page_size = 500


class CappedCountPagination(StandardPagination):
    """Page numbers with a count that stops at a cap (searches over millions of rows).

    ``count`` is exact up to ``count_cap``; beyond it ``count_is_capped`` is true and
    ``count`` is ``count_cap + 1``. Partners that need every row use the bulk cursor walk.
    """

    django_paginator_class = CappedCountPaginator

    def get_paginated_response(self, data: Any) -> Response:
        paginator: Any = self.page.paginator  # type: ignore[union-attr]
        return Response(
            {
                "count": paginator.count,
                "count_is_capped": paginator.count_is_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count_is_capped"] = {
            "type": "boolean",
            "description": "True when there are more rows than the count cap "
            f"({SEARCH_COUNT_CAP}); count is then the cap plus one.",
        }
        paginated["required"] = [*paginated.get("required", []), "count_is_capped"]
        return paginated

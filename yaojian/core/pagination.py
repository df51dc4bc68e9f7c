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
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

SEARCH_COUNT_CAP = 1_000


class CappedCountPaginator(Paginator):
    """``Paginator`` that counts at most ``count_cap + 1`` rows."""

    count_cap = SEARCH_COUNT_CAP

    def __init__(self, *args: Any, count_cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if count_cap is not None:
            self.count_cap = count_cap

    def _is_queryset(self) -> bool:
        return hasattr(self.object_list, "query")

    @cached_property
    def _first_ids(self) -> list[Any]:
        """Up to ``count_cap + 1`` matching primary keys, in no particular order.

        Without an ORDER BY the database may use whatever index finds matches fastest
        (the trigram index of a name search), instead of walking the list's order.
        """
        object_list: Any = self.object_list
        return list(object_list.order_by().values_list("pk", flat=True)[: self.count_cap + 1])

    @cached_property
    def count(self) -> int:
        if self._is_queryset():
            return len(self._first_ids)
        return min(len(self.object_list), self.count_cap + 1)

    def page(self, number: Any) -> Any:
        """A page; when every match is known (count under the cap), it is read by id.

        Sorting at most ``count_cap`` rows found by id is cheap, whereas walking the list's
        order index in search of rare matches is not (docs/benchmarks.md).
        """
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        source: Any = self.object_list
        if self._is_queryset() and not self.count_is_capped:
            source = source.filter(pk__in=self._first_ids)
        return self._get_page(source[bottom:top], number, self)  # type: ignore[attr-defined]

    @property
    def count_is_capped(self) -> bool:
        """True when there are more rows than the cap (``count`` is then cap + 1)."""
        return self.count > self.count_cap


class StrictPageSizeMixin:
    """``page_size`` must be a whole number of at least 1 (400 otherwise), never ignored.

    DRF falls back to the default size for ``?page_size=abc``; a partner's typo would then go
    unnoticed. Sizes above the maximum are still cut to it, as documented.
    """

    page_size_query_param: str | None
    max_page_size: int | None
    page_size: int | None

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param or "")
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: [_("Enter a whole number of at least 1.")]}
            )
        return min(size, self.max_page_size) if self.max_page_size else size


class StandardPagination(StrictPageSizeMixin, PageNumberPagination):
    """``?page=N&page_size=M`` (at most 500 a page)."""

    page_size_query_param = "page_size"
    max_page_size = 500


class CappedCountPagination(StandardPagination):
    """Page numbers with a count that stops at a cap (searches over millions of rows).

    ``count`` is exact up to ``count_cap``; beyond it ``count_is_capped`` is true and
    ``count`` is ``count_cap + 1``. Partners that need every row use the bulk cursor walk.
    """

    django_paginator_class = CappedCountPaginator
    # Search results: 25 a page, like the search page (``page_size`` asks for more).
    page_size = 25

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

"""Pagination for the API: page numbers for UI-like lists, a cursor for bulk exchange."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.views import APIView

from yaojian.core.pagination import CappedCountPagination, StandardPagination, StrictPageSizeMixin

__all__ = ["BulkCursorPagination", "CappedCountPagination", "StandardPagination"]

_Row = TypeVar("_Row")


class BulkCursorPagination(StrictPageSizeMixin, CursorPagination):
    """A stable cursor for partner systems that walk a whole table.

    Rows come in the order they were created, so rows added during a walk appear on its
    last pages. The opaque cursor carries a creation time, never a primary key.
    """

    ordering = ("created_at", "id")
    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 2000

    def paginate_queryset(
        self,
        queryset: QuerySet[Any, _Row] | Sequence[_Row],
        request: Request,
        view: APIView | None = None,
    ) -> list[_Row] | None:
        try:
            return super().paginate_queryset(queryset, request, view)
        except ValidationError as exc:  # a tampered cursor whose position is not a time
            raise NotFound(self.invalid_cursor_message) from exc

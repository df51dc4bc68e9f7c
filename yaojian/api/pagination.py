"""Pagination for the API: page numbers for UI-like lists, a cursor for bulk exchange."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class StandardPagination(PageNumberPagination):
    """``?page=N&page_size=M`` (at most 500 a page)."""

    page_size_query_param = "page_size"
    max_page_size = 500


class BulkCursorPagination(CursorPagination):
    """A stable cursor for partner systems that walk a whole table.

    Rows come in the order they were created, so rows added during a walk appear on its
    last pages. The opaque cursor carries a creation time, never a primary key.
    """

    ordering = ("created_at", "id")
    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 2000

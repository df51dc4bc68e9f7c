"""Pagination for the API: page numbers for UI-like lists, a cursor for bulk exchange."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class StandardPagination(PageNumberPagination):
    """``?page=N&page_size=M`` (at most 500 a page)."""

    page_size_query_param = "page_size"
    max_page_size = 500


class BulkCursorPagination(CursorPagination):
    """Stable cursor over ``id`` for partner systems that walk a whole table."""

    ordering = "id"
    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 2000

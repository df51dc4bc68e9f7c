"""Pagination shared by the UI (Django) and the API (DRF), incl. a count that stops at a cap.

For searches over millions of rows:

Counting every match of a broad search ("大药房" matches a quarter of a national register)
costs far more than fetching the page itself; past the cap the exact number is of no use on
a search screen. ``count`` is exact up to ``count_cap`` and ``count_cap + 1`` beyond (see
``count_is_capped``). Measured in docs/benchmarks.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

SEARCH_COUNT_CAP = 1_000
# Rows of the ordered superset that bound the first, cheap look at a search (see
# ``search_within``): a page found among them is exact without reading any further.
SEARCH_WINDOW = 5_000
WINDOW_ATTRIBUTE = "search_ordered_superset"


def search_within(queryset: QuerySet[Any], superset: QuerySet[Any]) -> QuerySet[Any]:
    """Mark ``queryset`` (a search) as a subset of ``superset`` with the same ordering.

    ``superset`` is what the search narrows (the user's scope and the filters without the
    search box). Its ordered walk is cheap (it has an index in that order); the search's own
    ordered walk is not when matches are rare or sort late. ``CappedCountPaginator`` then
    looks first among the first ``SEARCH_WINDOW`` rows of the superset (ADR 0014). The mark
    is kept by ``filter()`` and ``order_by()`` (Django copies the query's attributes).
    """
    setattr(queryset.query, WINDOW_ATTRIBUTE, superset)
    return queryset


PARTS_ATTRIBUTE = "ordered_parts"


def ordered_in_parts(queryset: QuerySet[Any], field: str, values: list[Any]) -> QuerySet[Any]:
    """Mark ``queryset`` as the union of its rows with ``field`` equal to each of ``values``.

    For a list whose order is served by an index on ``(field, *ordering)`` (a city's or a
    province's entities by name: one part per county), ``CappedCountPaginator`` reads a page
    as the first rows of every part (an exact index walk each), merged and cut, instead of
    walking the whole order and discarding the rows of other regions (ADR 0014).
    """
    setattr(queryset.query, PARTS_ATTRIBUTE, (field, list(values)))
    return queryset


WALK_ATTRIBUTE = "ordered_walk"


def ordered_walk(queryset: QuerySet[Any], plain_order: tuple[str, ...] = ()) -> QuerySet[Any]:
    """Mark ``queryset`` as served by an index walk in its own order joined by key (the
    registry's name postings, ADR 0032): ``CappedCountPaginator`` reads its count and the
    ids of a page with sequential scans, bitmaps, hash and merge joins off, so the plan is
    the walk whatever the statistics say (without them the planner chose hash joins over
    millions of postings: seconds).

    ``plain_order`` is the same order on the model's own columns (``name, id`` for the
    postings' ``hit__name, hit__entity_id``): when every match is known (fewer than the
    count cap) a page is those ids sorted on it, without joining the walk's table again
    (joined by key for hundreds of known ids, the postings of a city took half a second)."""
    setattr(queryset.query, WALK_ATTRIBUTE, tuple(plain_order) or True)
    return queryset


# Searches read a few thousand index entries at most: on a two-core machine serving several
# users, starting parallel workers for them costs more than it saves; and compiling them
# (JIT) is never repaid: the forced plans' costs pass ``jit_above_cost`` whenever estimates are
# poor (no statistics), and the compilation (≈ 5 ms) then took half of a 10 ms search.
_SERIAL = {"max_parallel_workers_per_gather": "0", "jit": "off"}


@contextmanager
def _planner_off(alias: str, plans: list[str]) -> Iterator[None]:
    """On PostgreSQL: the planner's ``plans`` (``enable_…``) off and no parallel workers for
    the queries inside, in a transaction.

    ``SET LOCAL`` ends with the transaction; only inside an outer one (a savepoint keeps them
    once released) are they set back, so a request pays two statements, not three.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    settings = dict.fromkeys(plans, "off") | _SERIAL
    nested = connection.in_atomic_block
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("; ".join(f"SET LOCAL {name} = {value}" for name, value in settings.items()))
        yield
        if nested:
            cursor.execute("; ".join(f"SET LOCAL {name} TO DEFAULT" for name in settings))


def _walk_plans(alias: str) -> AbstractContextManager[None]:
    """On PostgreSQL: index walks and nested loops only, for the queries inside."""
    return _planner_off(
        alias, ["enable_seqscan", "enable_bitmapscan", "enable_hashjoin", "enable_mergejoin"]
    )


def _bitmap_plans(alias: str, *, ordered_walks: bool) -> AbstractContextManager[None]:
    """On PostgreSQL: no sequential scans for the queries inside; with ``ordered_walks``
    no bitmap scans either (the window is read by walking its bounded order range, at most
    ``SEARCH_WINDOW`` rows, not by fetching every match of the index and filtering the
    range), without it no plain index scans (no walk of an order index that discards rows).

    A search's plan must not hang on a lucky ANALYZE sample: with these settings each step
    reads what bounds its work, whatever the estimates.
    """
    return _planner_off(
        alias, ["enable_seqscan", "enable_bitmapscan" if ordered_walks else "enable_indexscan"]
    )


def _pk_in(queryset: QuerySet[Any], ids: list[Any]) -> QuerySet[Any]:
    """``queryset.filter(pk__in=ids)``; on PostgreSQL as ``pk = ANY(<one array>)``.

    A search's known matches are up to ``count_cap + 1`` ids: as ``IN (%s, %s, …)`` Django
    prepares each id and the driver parses a thousand placeholders (≈ 3 ms of CPU a list).
    """
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(pk__in=ids)
    quote = connections[queryset.db].ops.quote_name
    meta = queryset.model._meta
    column = f"{quote(meta.db_table)}.{quote(meta.pk.column)}"
    return queryset.filter(
        RawSQL(f"{column} = ANY(%s)", (list(ids),), output_field=BooleanField())  # noqa: S611
    )


def _window_end(superset: QuerySet[Any], ordering: list[str]) -> tuple[Any, ...] | None:
    """The ``SEARCH_WINDOW``-th row's ordering values (None: fewer rows), cached 10 minutes.

    Any value keeps the window a prefix of the order, so a stale one is still exact; only
    the window's size drifts as rows come and go.
    """
    sql, params = superset.order_by(*ordering).values_list(*ordering).query.sql_with_params()
    key = "search-window:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        rows = list(superset.order_by(*ordering).values_list(*ordering)[SEARCH_WINDOW - 1 :][:1])
        found = ("end", tuple(rows[0])) if rows else ("all", None)
        cache.set(key, found, 600)
    return found[1]


def _heads_of_parts(
    queryset: QuerySet[Any], field: str, values: list[Any], columns: list[str], top: int
) -> list[tuple[Any, ...]]:
    """The first ``top`` rows (``columns``) of each part of ``queryset`` (``field`` equal to
    each of ``values``), in one statement: one part's query compiled once, its value swapped
    for each part's, the parts joined by UNION ALL (each an index walk of its own order).

    Compiling and sending one query per part cost a city's list (eleven counties) some 15 ms
    of CPU and eleven round trips. When the part's value cannot be told from the query's
    other parameters, each part is read on its own, as before."""
    marker = "\x00part\x00"  # a text no query holds; the parts' values are text (codes)
    positions: list[int] = []
    if len(values) > 1 and all(isinstance(value, str) for value in values):
        head = queryset.filter(**{field: marker}).values_list(*columns)[:top]
        sql, params = head.query.sql_with_params()
        positions = [i for i, param in enumerate(params) if param == marker]
    if len(positions) != 1:
        rows: list[tuple[Any, ...]] = []
        for value in values:
            rows.extend(queryset.filter(**{field: value}).values_list(*columns)[:top])
        return rows
    (position,) = positions
    union_params: list[Any] = []
    for value in values:
        part = list(params)
        part[position] = value
        union_params += part
    union = " UNION ALL ".join([f"SELECT * FROM ({sql}) AS part"] * len(values))  # noqa: S608
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(union, union_params)
        return [tuple(row) for row in cursor.fetchall()]


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
    def _superset(self) -> QuerySet[Any] | None:
        if not self._is_queryset():
            return None
        return getattr(self.object_list.query, WINDOW_ATTRIBUTE, None)  # type: ignore[union-attr,attr-defined]

    @cached_property
    def _window(self) -> Q | None:
        """``(order…) <= (the superset's SEARCH_WINDOW-th row)``, or None when the superset
        is smaller than the window (then the whole search is small)."""
        superset = self._superset
        if superset is None:
            return None
        ordering = [str(f) for f in self.object_list.query.order_by]  # type: ignore[union-attr,attr-defined]
        if not ordering or any(f.startswith("-") for f in ordering):
            return None  # ascending orders only
        last = _window_end(superset, ordering)
        if last is None:
            return Q()
        # (a, b) <= (x, y)  ⇔  a < x  or  (a = x and b <= y), for any number of columns.
        condition = Q(**{f"{ordering[-1]}__lte": last[-1]})
        for position in range(len(ordering) - 2, -1, -1):
            name, value = ordering[position], last[position]
            condition = Q(**{f"{name}__lt": value}) | (Q(**{name: value}) & condition)
        # The leading column's own bound makes the range usable by the order index.
        return Q(**{f"{ordering[0]}__lte": last[0]}) & condition

    @cached_property
    def _window_ids(self) -> list[Any]:
        """Up to ``count_cap + 1`` matches among the window (bounded work)."""
        window = self._window
        if window is None:
            return []
        object_list: Any = self.object_list
        with _bitmap_plans(object_list.db, ordered_walks=True):
            return list(
                object_list.filter(window)
                .order_by()
                .values_list("pk", flat=True)[: self.count_cap + 1]
            )

    @cached_property
    def _first_ids(self) -> list[Any]:
        """Up to ``count_cap + 1`` matching primary keys, in no particular order.

        Without an ORDER BY the database may use whatever index finds matches fastest
        (the trigram index of a name search), instead of walking the list's order. A marked
        search (``search_within``) takes them from its window when the window alone holds
        more than the cap, and otherwise never scans the table sequentially.
        """
        if len(self._window_ids) > self.count_cap or self._window == Q():
            return self._window_ids
        object_list: Any = self.object_list
        ids = object_list.order_by().values_list("pk", flat=True)[: self.count_cap + 1]
        if self._walk:
            with _walk_plans(object_list.db):
                return list(ids)
        if self._superset is None:
            return list(ids)
        with _bitmap_plans(object_list.db, ordered_walks=False):
            return list(ids)

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
        if self._walk and top > bottom:
            plain = getattr(source.query, WALK_ATTRIBUTE)
            if not self.count_is_capped and isinstance(plain, tuple):
                # Every match is known: the page is those rows sorted on the model's own
                # columns, fetched by key (bitmap), never by walking the model's order index
                # past non-matches; in one statement (and its prefetches), one transaction.
                known = _pk_in(source.model._base_manager.using(source.db), self._first_ids)
                known.query.select_related = source.query.select_related
                known = known.prefetch_related(*source._prefetch_related_lookups)
                with _bitmap_plans(source.db, ordered_walks=False):
                    rows = list(known.order_by(*plain)[bottom:top])
                return self._get_page(rows, number, self)  # type: ignore[attr-defined]
            with _walk_plans(source.db):
                if self.count_is_capped:
                    ids = list(source.values_list("pk", flat=True)[bottom:top])
                elif not isinstance(plain, tuple):
                    known = _pk_in(source, self._first_ids)
                    ids = list(known.values_list("pk", flat=True)[bottom:top])
                # the page itself too (it still joins the postings for its order)
                rows = list(_pk_in(source, ids))
            return self._get_page(rows, number, self)  # type: ignore[attr-defined]
        elif self._is_queryset() and not self.count_is_capped:
            source = _pk_in(source, self._first_ids)
        elif self._superset is not None and top > bottom:
            source = source.filter(pk__in=self._page_ids(bottom, top))
            bottom, top = 0, top - bottom
        elif self._parts and top > bottom:
            source = source.filter(pk__in=self._parts_page_ids(bottom, top))
            bottom, top = 0, top - bottom
        return self._get_page(source[bottom:top], number, self)  # type: ignore[attr-defined]

    @cached_property
    def _walk(self) -> bool:
        return self._is_queryset() and bool(
            getattr(self.object_list.query, WALK_ATTRIBUTE, False)  # type: ignore[union-attr,attr-defined]
        )

    @cached_property
    def _parts(self) -> tuple[str, list[Any]] | None:
        if not self._is_queryset():
            return None
        parts = getattr(self.object_list.query, PARTS_ATTRIBUTE, None)  # type: ignore[union-attr,attr-defined]
        ordering = list(self.object_list.query.order_by)  # type: ignore[union-attr,attr-defined]
        if not parts or not parts[1] or not ordering or len(parts[1]) > 200:
            return None
        if any(str(f).startswith("-") for f in ordering):
            return None  # ascending orders only
        return parts

    def _parts_page_ids(self, bottom: int, top: int) -> list[Any]:
        """The first ``top`` rows of each part (one ordered index walk each), merged."""
        field, values = self._parts  # type: ignore[misc]
        object_list: Any = self.object_list
        ordering = [str(f) for f in object_list.query.order_by]
        columns = ["pk", *[f.lstrip("-") for f in ordering if f.lstrip("-") not in ("pk", "id")]]
        rows = _heads_of_parts(object_list, field, values, columns, top)
        keys = [f.lstrip("-") for f in ordering]
        index = {name: position for position, name in enumerate(columns)}
        index.setdefault("id", 0)
        rows.sort(key=lambda row: tuple(row[index.get(k, 0)] for k in keys))
        return [row[0] for row in rows[bottom:top]]

    def _page_ids(self, bottom: int, top: int) -> list[Any]:
        """The ids of a page of a marked search with more matches than the cap: from the
        window when it holds the page (exact: the window is a prefix of the order),
        otherwise from every match, found by index and sorted (never an order walk that
        discards the rows that do not match)."""
        object_list: Any = self.object_list
        if len(self._window_ids) >= top:
            with _bitmap_plans(object_list.db, ordered_walks=True):
                return list(
                    object_list.filter(self._window).values_list("pk", flat=True)[bottom:top]
                )
        with _bitmap_plans(object_list.db, ordered_walks=False):
            return list(object_list.values_list("pk", flat=True)[bottom:top])

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
                {str(self.page_size_query_param): [_("Enter a whole number of at least 1.")]}
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

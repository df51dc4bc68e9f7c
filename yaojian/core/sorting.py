"""``?sort=`` for lists: only whitelisted keys, a stable order (ADR 0015, docs/subsystems/ui.md).

A list names the columns it may be sorted by and the model fields behind each; anything else in
``?sort=`` is ignored (the list keeps its default order), so no request text ever reaches an
ORDER BY. The primary key breaks ties in the same direction, so a page never repeats or skips
a row between requests. The column heads (``components/sortable_th.html``) link to
``?sort=key`` / ``?sort=-key`` keeping the filters; the pager keeps the sort.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from yaojian.core.pagination import PARTS_ATTRIBUTE, WINDOW_ATTRIBUTE

SortKeys = Mapping[str, str | Sequence[str]]


def requested(request: HttpRequest, keys: SortKeys, prefix: str = "") -> tuple[str, bool] | None:
    """``(key, descending)`` when ``?sort=`` (``?<prefix>sort=``) names a whitelisted key."""
    raw = str(request.GET.get(f"{prefix}sort", ""))[:64]
    descending = raw.startswith("-")
    key = raw[1:] if descending else raw
    if key not in keys:
        return None
    return key, descending


def ordering(keys: SortKeys, key: str, descending: bool, tiebreak: str = "id") -> list[str]:
    """The ORDER BY of a whitelisted ``key``: its fields, then ``tiebreak``, one direction."""
    fields = keys[key]
    names = [fields] if isinstance(fields, str) else list(fields)
    sign = "-" if descending else ""
    return [f"{sign}{name}" for name in [*names, tiebreak]]


def sort(
    request: HttpRequest,
    queryset: QuerySet[Any],
    keys: SortKeys,
    tiebreak: str = "id",
    prefix: str = "",
) -> QuerySet[Any]:
    """``queryset`` in the order ``?sort=`` asks for (whitelisted), else unchanged.

    ``prefix``: one of several tables on a page, sorted by ``?<prefix>sort=``.

    A requested order drops the paginator's hints for the default order (``search_within``,
    ``ordered_in_parts``): they name index walks of that order only.
    """
    asked = requested(request, keys, prefix)
    if asked is None:
        return queryset
    sorted_qs = queryset.order_by(*ordering(keys, *asked, tiebreak=tiebreak))
    for attribute in (WINDOW_ATTRIBUTE, PARTS_ATTRIBUTE):
        if hasattr(sorted_qs.query, attribute):
            delattr(sorted_qs.query, attribute)
    return sorted_qs

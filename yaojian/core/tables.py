"""The columns of a data table (``templates/components/data_table.html``) and the one way a
list view sorts and pages its rows for it (docs/subsystems/ui.md).

A view names its columns once; a sortable column's ``field`` is a key of the list's sort
whitelist (``core.sorting``), so the column heads and the ORDER BY cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise

from yaojian.core import sorting


@dataclass(frozen=True)
class Column:
    """One column head: ``field`` (the sort key when ``sortable``), its translated label."""

    field: str
    label: str | Promise
    sortable: bool = False


def columns(*specs: tuple[str, str | Promise] | tuple[str, str | Promise, bool]) -> list[Column]:
    """``columns(("name", _("Name"), True), ("url", _("URL")))``: sortable when the third is true."""
    return [Column(*spec) for spec in specs]


def sorted_page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    keys: sorting.SortKeys,
    *,
    per_page: int,
    prefix: str = "",
    tiebreak: str = "id",
) -> Page[Any]:
    """The page ``?<prefix>page=`` of ``queryset`` in the order ``?<prefix>sort=`` asks for.

    A sort key off the whitelist keeps the default order; a page number out of range or not
    a number gives the nearest page (never an error).
    """
    rows = sorting.sort(request, queryset, keys, tiebreak=tiebreak, prefix=prefix)
    return Paginator(rows, per_page).get_page(request.GET.get(f"{prefix}page"))

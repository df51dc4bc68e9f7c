"""Pages of the territory app: the region browser and the grid cells."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import has_permission
from yaojian.core import sorting, tables
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import template_for
from yaojian.territory import selectors, services
from yaojian.territory.forms import GridCellCreateForm, GridCellUpdateForm, OfficerAssignmentForm

PAGE_SIZE = 50
GRIDCELL_SORTS = {
    "code": "code",
    "name": "name",
    "county": "region_id",
}
REGION_SORTS = {"name": "name", "code": "code", "kind": "kind", "valid_to": "valid_to"}
REGION_COLUMNS = tables.columns(
    ("name", _("Name"), True),
    ("code", _("Division code"), True),
    ("kind", _("Kind"), True),
    ("valid_to", _("Status"), True),
)


def region_list(request: HttpRequest) -> HttpResponse:
    """Provinces → prefectures → counties: ``?parent=<code>`` lists the regions below one,
    sortable by the column heads (htmx: ``#region-table``). Abolished codes are listed with
    their successor."""
    parent_code = request.GET.get("parent") or None
    parent = selectors.get_region(parent_code) if parent_code else None
    page = tables.sorted_page(
        request,
        selectors.regions_under(parent_code),
        REGION_SORTS,
        per_page=PAGE_SIZE,
        tiebreak="pk",
    )
    context: dict[str, Any] = {
        "parent": parent,
        "path": selectors.region_path(parent) if parent else [],
        "columns": REGION_COLUMNS,
        "page_obj": page,
        "regions": page.object_list,
    }
    return render(
        request, template_for(request, "territory/region_list.html", "region-table"), context
    )


def gridcell_list(request: HttpRequest) -> HttpResponse:
    """Grid cells in my jurisdictions, optionally of one county (htmx: ``#gridcell-table``)."""
    county = request.GET.get("county", "")[:6]
    cells = selectors.gridcell_list(request.user, county=county)
    page = Paginator(sorting.sort(request, cells, GRIDCELL_SORTS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counties = selectors.counties_with_gridcells(request.user)
    context = {
        "page_obj": page,
        "cells": page.object_list,
        "county": county,
        "counties": counties,
        "county_filter": [
            (
                "county",
                _("County"),
                [("", _("All")), *((r.code, f"{r.name} ({r.code})") for r in counties)],
                county,
                6,
            )
        ],
        "can_create": has_permission(request.user, selectors.CHANGE_GRIDCELL),
    }
    return render(
        request, template_for(request, "territory/gridcell_list.html", "gridcell-table"), context
    )


def gridcell_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One grid cell: county, officers, number of entities."""
    cell = selectors.get_gridcell_for_user(request.user, public_id)
    context = {
        "cell": cell,
        "officers": cell.officers.order_by("username"),
        "can_change": selectors.can_change_gridcell(request.user, cell),
    }
    return render(request, "territory/gridcell_detail.html", context)


def gridcell_create(request: HttpRequest) -> HttpResponse:
    """Create a grid cell (users holding ``territory.change_gridcell``)."""
    if not has_permission(request.user, selectors.CHANGE_GRIDCELL):
        raise PermissionDenied
    counties = selectors.counties_where(request.user, permission=selectors.CHANGE_GRIDCELL)
    form = GridCellCreateForm(request.POST or None, counties=counties)
    if request.method == "POST":
        if form.is_valid():
            try:
                cell = services.create_grid_cell(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("territory:gridcell_detail", public_id=cell.public_id)
        return _form_page(request, form, None, status=UNPROCESSABLE)
    return _form_page(request, form, None)


def _changeable_cell(request: HttpRequest, public_id: str) -> Any:
    """The cell (404 if not visible), or 403 when it is visible but not changeable."""
    cell = selectors.get_gridcell_for_user(request.user, public_id)
    if not selectors.can_change_gridcell(request.user, cell):
        raise PermissionDenied
    return cell


def _form_page(
    request: HttpRequest, form: Form, cell: Any, *, kind: str = "cell", status: int = 200
) -> HttpResponse:
    context = {"form": form, "cell": cell, "kind": kind}
    return render(request, "territory/gridcell_form.html", context, status=status)


def gridcell_update(request: HttpRequest, public_id: str) -> HttpResponse:
    """Rename a grid cell or change its description."""
    cell = _changeable_cell(request, public_id)
    initial = {"name": cell.name, "description": cell.description, "place_names": cell.place_names}
    form = GridCellUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_grid_cell(actor=request.user, cell=cell, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("territory:gridcell_detail", public_id=cell.public_id)
        return _form_page(request, form, cell, status=UNPROCESSABLE)
    return _form_page(request, form, cell)


def gridcell_officers(request: HttpRequest, public_id: str) -> HttpResponse:
    """Choose the responsible officers of a grid cell."""
    cell = _changeable_cell(request, public_id)
    eligible = selectors.eligible_officers(cell.region_id)
    initial = {"officers": list(cell.officers.values_list("pk", flat=True))}
    form = OfficerAssignmentForm(request.POST or None, initial=initial, eligible=eligible)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.assign_officers(
                    actor=request.user, cell=cell, officers=form.cleaned_data["officers"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("territory:gridcell_detail", public_id=cell.public_id)
        return _form_page(request, form, cell, kind="officers", status=UNPROCESSABLE)
    return _form_page(request, form, cell, kind="officers")

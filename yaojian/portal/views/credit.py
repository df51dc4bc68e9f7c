"""Public credit pages (no login): an entity's public credit information and the
serious-dishonesty list, with CSV and XLSX exports. Read through credit's selectors only;
persons' data is never shown (legal representatives masked)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from yaojian.core import tables
from yaojian.core.spreadsheets import neutralise
from yaojian.credit import selectors as credit
from yaojian.portal.masking import mask_person_name
from yaojian.registry.models import Entity

PAGE_SIZE = 20
ENTITY_COLUMNS = tables.columns(
    ("name", gettext_lazy("Entity")),
    ("credit_code", gettext_lazy("Unified social credit code")),
)
RECORD_COLUMNS = tables.columns(
    ("kind", gettext_lazy("Kind")),
    ("department", gettext_lazy("Department")),
    ("legal_basis", gettext_lazy("Legal basis")),
    ("occurred_on", gettext_lazy("Date")),
    ("expires_on", gettext_lazy("Displayed until")),
)
LISTING_COLUMNS = tables.columns(
    ("entity", gettext_lazy("Entity")),
    ("credit_code", gettext_lazy("Unified social credit code")),
    ("department", gettext_lazy("Listing department")),
    ("approved_on", gettext_lazy("Listed on")),
    ("listed_until", gettext_lazy("Listed until")),
)


@login_not_required
@require_safe
def credit_search(request: HttpRequest) -> HttpResponse:
    """Search an entity's public credit information by name or credit code."""
    q = (request.GET.get("q") or "").strip()[:100]
    entities: Any = Entity.objects.none()
    if q:
        entities = Entity.objects.filter(
            Q(name__contains=q) | Q(unified_social_credit_code=q.upper())
        ).order_by("name", "id")
    page = Paginator(entities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/public_credit_search.html",
        {
            "q": q,
            "page_obj": page,
            "columns": ENTITY_COLUMNS,
            "search_fields": [("q", _("Entity name or credit code"), None, q, 100)],
        },
    )


@login_not_required
@require_safe
def credit_entity(request: HttpRequest, public_id: str) -> HttpResponse:
    """One entity's public credit information: penalties on display, listing, repair."""
    entity = Entity.objects.filter(public_id=public_id).select_related("region").first()
    if entity is None:
        raise Http404
    listings = credit.public_listings().filter(entity=entity)
    context = {
        "entity": entity,
        "legal_representative": mask_person_name(entity.legal_representative),
        "records": credit.public_records(entity),
        "repairs": credit.public_repairs(entity),
        "listings": listings,
        "grade": credit.grades_for([entity.pk]).get(entity.pk, ""),
        "columns": RECORD_COLUMNS,
    }
    return render(request, "portal/public_credit_entity.html", context)


def _list_rows() -> list[list[str]]:
    return [
        [
            listing.entity.name,
            listing.entity.unified_social_credit_code or "",
            listing.department.name,
            "、".join(listing.triggers),
            listing.approved_on.isoformat() if listing.approved_on else "",
            listing.listed_until.isoformat() if listing.listed_until else "",
        ]
        for listing in credit.public_listings()
    ]


def _header() -> list[str]:
    return [
        _("Entity"),
        _("Unified social credit code"),
        _("Listing department"),
        _("Triggers"),
        _("Listed on"),
        _("Listed until"),
    ]


@login_not_required
@require_safe
def dishonesty_list(request: HttpRequest) -> HttpResponse:
    """The public serious-dishonesty list; ``?format=csv`` or ``xlsx`` downloads it."""
    fmt = request.GET.get("format", "")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(_header())
        for row in _list_rows():
            writer.writerow([neutralise(cell) for cell in row])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="dishonesty-list.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(_header())
        for row in _list_rows():
            sheet.append([neutralise(cell) for cell in row])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="dishonesty-list.xlsx"'
        return response
    page = Paginator(credit.public_listings(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/public_dishonesty_list.html",
        {"page_obj": page, "columns": LISTING_COLUMNS},
    )

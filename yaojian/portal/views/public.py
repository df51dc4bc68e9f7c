"""The public site (no login): penalty information on display and typical cases.

Only ``selectors.published_*`` are read here, and the templates show only the masked
``public_*`` fields of a publication.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from yaojian.core import tables
from yaojian.core.htmx import template_for
from yaojian.portal import selectors
from yaojian.portal.forms import PenaltyQuickSearchForm, PenaltySearchForm, TraceCodeCheckForm

PAGE_SIZE = 20
HOME_PENALTIES = 10
HOME_CASES = 5
PENALTY_SORTS = {
    "number": "decision_number",
    "party": "public_party_name",
    "department": "department_name",
    "decided_on": "decided_on",
}
_PENALTY_COLUMNS = (
    ("number", _("Decision number")),
    ("party", _("Party")),
    ("credit_code", _("Unified social credit code")),
    ("penalty", _("Penalty")),
    ("department", _("Deciding department")),
    ("decided_on", _("Decided on")),
)
# The list sorts by the heads of the columns in PENALTY_SORTS; the home page's latest few do not.
PENALTY_COLUMNS = [tables.Column(f, label, f in PENALTY_SORTS) for f, label in _PENALTY_COLUMNS]
HOME_PENALTY_COLUMNS = [tables.Column(f, label) for f, label in _PENALTY_COLUMNS]


@login_not_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The public home: the latest penalty information, typical cases, a search box."""
    context = {
        "form": PenaltyQuickSearchForm(),
        "code_form": TraceCodeCheckForm(auto_id="home-%s"),
        "penalty_columns": HOME_PENALTY_COLUMNS,
        "penalties": selectors.published_penalties()[:HOME_PENALTIES],
        "cases": selectors.published_typical_cases()[:HOME_CASES],
    }
    return render(request, "portal/public_home.html", context)


@login_not_required
@require_safe
def penalty_list(request: HttpRequest) -> HttpResponse:
    """Search penalty information by party, credit code, region and year, sortable by the
    column heads (htmx: the table)."""
    form = PenaltySearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        rows = selectors.published_penalties_matching(**form.search_arguments())
    elif form.is_bound:
        rows = selectors.published_penalties().none()
    else:
        rows = selectors.published_penalties()
    page = tables.sorted_page(request, rows, PENALTY_SORTS, per_page=PAGE_SIZE)
    context = {
        "form": form,
        "page_obj": page,
        "penalties": page.object_list,
        "penalty_columns": PENALTY_COLUMNS,
    }
    return render(
        request, template_for(request, "portal/public_penalty_list.html", "penalty-table"), context
    )


@login_not_required
@require_safe
def penalty_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One publication on display (404 for anything else)."""
    publication = selectors.get_published_penalty(public_id)
    return render(request, "portal/public_penalty_detail.html", {"publication": publication})


@login_not_required
@require_safe
def typical_case_list(request: HttpRequest) -> HttpResponse:
    """Published typical cases, newest first."""
    page = Paginator(selectors.published_typical_cases(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page_obj": page, "cases": page.object_list}
    return render(
        request, template_for(request, "portal/public_case_list.html", "case-table"), context
    )


@login_not_required
@require_safe
def typical_case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One published typical case, with its penalty publication while that is on display."""
    case = selectors.get_published_typical_case(public_id)
    context = {"case": case, "publication": selectors.published_link_of(case)}
    return render(request, "portal/public_case_detail.html", context)


@login_not_required
@require_safe
def inspection_results(request: HttpRequest) -> HttpResponse:
    """Published results of random inspections (双随机、一公开), newest first."""
    from yaojian.inspections.selectors import published_results

    page = Paginator(published_results(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "results": page.object_list}
    return render(
        request,
        template_for(request, "portal/public_inspection_list.html", "inspection-table"),
        context,
    )

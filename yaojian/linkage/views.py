"""Pages of the linkage app: the review queue, one review (side by side), reconcile two lists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yaojian.accounts.scoping import has_permission
from yaojian.core import sorting
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import template_for
from yaojian.linkage import selectors, services
from yaojian.linkage.choices import COMPARISON_LABELS
from yaojian.linkage.files import start_link_files
from yaojian.linkage.forms import LinkFilesForm, RejectForm, ReviewFilterForm
from yaojian.linkage.permissions import LINK_FILES, VIEW_REVIEWS

PAGE_SIZE = 25
REVIEW_SORTS = {
    "record": "record_name",
    "candidate": "candidate__name",
    "probability": "probability",
    "state": "state",
    "queued": "created_at",
}
WEIGHT_SCALE = 10.0  # a weight of ±10 fills half the bar


def review_list(request: HttpRequest) -> HttpResponse:
    """The review queue of my departments (htmx: ``#review-table``)."""
    if not has_permission(request.user, VIEW_REVIEWS):
        raise PermissionDenied
    form = ReviewFilterForm(request.GET or {"state": "pending"})
    data = form.cleaned_data if form.is_valid() else {}
    reviews = selectors.filter_reviews(
        request.user, state=data.get("state", ""), q=data.get("q", "")
    )
    page = Paginator(sorting.sort(request, reviews, REVIEW_SORTS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page_obj": page, "reviews": page.object_list}
    return render(
        request, template_for(request, "linkage/review_list.html", "review-table"), context
    )


def _bars(review: object) -> list[dict[str, object]]:
    rows = []
    for label, weight in review.explanation_rows:  # type: ignore[attr-defined]
        width = min(abs(weight) / WEIGHT_SCALE * 50, 50)
        rows.append(
            {
                "label": label,
                "title": COMPARISON_LABELS.get(label, label),
                "weight": weight,
                "width": round(width, 1),
                # where the bar starts on a 0–100 track centred at 50 (an SVG, not a style
                # attribute: the Content-Security-Policy forbids inline styles)
                "x": 50.0 if weight >= 0 else round(50 - width, 1),
                "positive": weight >= 0,
            }
        )
    return rows


def review_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The record beside the candidate entity, differences highlighted, weights as bars."""
    review = selectors.get_review_for_user(request.user, public_id)
    context = {
        "review": review,
        "rows": selectors.comparison_rows(review),
        "bars": _bars(review),
        "can_decide": selectors.can_decide(request.user, review),
        "reject_form": RejectForm(),
    }
    return render(request, "linkage/review_detail.html", context)


@require_POST
def review_confirm(request: HttpRequest, public_id: str) -> HttpResponse:
    """Confirm the proposed link."""
    review = selectors.get_review_for_user(request.user, public_id)
    try:
        services.confirm_review(actor=request.user, review=review)
    except ValidationError as exc:
        context = {
            "review": review,
            "rows": selectors.comparison_rows(review),
            "bars": _bars(review),
            "can_decide": False,
            "reject_form": RejectForm(),
            "errors": exc.messages,
        }
        return render(request, "linkage/review_detail.html", context, status=UNPROCESSABLE)
    return redirect("linkage:review_detail", public_id=review.public_id)


@require_POST
def review_reject(request: HttpRequest, public_id: str) -> HttpResponse:
    """Reject the proposed link (the record becomes a new entity), with the reason."""
    review = selectors.get_review_for_user(request.user, public_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.reject_review(
                actor=request.user, review=review, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("linkage:review_detail", public_id=review.public_id)
    context = {
        "review": review,
        "rows": selectors.comparison_rows(review),
        "bars": _bars(review),
        "can_decide": selectors.can_decide(request.user, review),
        "reject_form": form,
    }
    return render(request, "linkage/review_detail.html", context, status=UNPROCESSABLE)


def link_files_page(request: HttpRequest) -> HttpResponse:
    """Upload two lists; a job links them and offers PAIRS.csv for download."""
    if not has_permission(request.user, LINK_FILES):
        raise PermissionDenied
    form = LinkFilesForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            left = form.cleaned_data["left"]
            right = form.cleaned_data["right"]
            try:
                job = start_link_files(
                    actor=request.user,
                    left=(left.name, left.read()),
                    right=(right.name, right.read()),
                    columns=form.columns(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("jobs:job_detail", public_id=job.public_id)
        status = UNPROCESSABLE
    return render(request, "linkage/link_files.html", {"form": form}, status=status)

"""Staff pages (login): the publication queue and actions, typical cases, the profile panel."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from yaojian.accounts.scoping import has_permission
from yaojian.core import tables
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import is_partial, template_for
from yaojian.portal import rules, selectors, services
from yaojian.portal.choices import PublicationStatus
from yaojian.portal.forms import EarlyStopForm, TypicalCaseForm, WithdrawForm
from yaojian.portal.models import Publication
from yaojian.portal.permissions import ADD_TYPICAL_CASE, VIEW_PUBLICATION, VIEW_TYPICAL_CASE
from yaojian.registry import selectors as registry_selectors


def _go(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if is_partial(request) else redirect(url)


QUEUE_PAGE = 25
# Each queue sorts and pages by its own parameters (``publish_sort``, ``publish_page``, …).
TO_PUBLISH_SORTS = {
    "number": "decision_number",
    "party": "party_name",
    "decided_on": "decided_on",
    "deadline": "publish_by",
}
TO_WITHDRAW_SORTS = {
    "number": "decision_number",
    "party": "party_name",
    "deadline": "withdraw_by",
}
ON_DISPLAY_SORTS = {
    "number": "decision_number",
    "party": "public_party_name",
    "published_at": "published_at",
    "display_until": "display_until",
}
ENDED_SORTS = {"number": "decision_number", "status": "status", "updated_at": "updated_at"}
TO_PUBLISH_COLUMNS = tables.columns(
    ("number", _("Decision number"), True),
    ("party", _("Party"), True),
    ("decided_on", _("Decided on"), True),
    ("deadline", _("Publish by"), True),
    ("days_left", _("Working days left")),
    ("actions", ""),
)
TO_WITHDRAW_COLUMNS = tables.columns(
    ("number", _("Decision number"), True),
    ("party", _("Party"), True),
    ("reason", _("Reason")),
    ("deadline", _("Withdraw by"), True),
    ("days_left", _("Working days left")),
)
ON_DISPLAY_COLUMNS = tables.columns(
    ("number", _("Decision number"), True),
    ("party", _("Party (as published)"), True),
    ("published_at", _("Published on"), True),
    ("display_until", _("On display until"), True),
)
ENDED_COLUMNS = tables.columns(
    ("number", _("Decision number"), True),
    ("status", _("Status"), True),
    ("reason", _("Reason")),
    ("updated_at", _("Ended on"), True),
)

TYPICAL_CASE_SORTS = {"title": "title", "published": "is_published", "published_at": "published_at"}
TYPICAL_CASE_COLUMNS = tables.columns(
    ("title", _("Title"), True),
    ("published", _("Status"), True),
    ("published_at", _("Published on"), True),
)


@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    """My department's publications: to publish (with deadlines), to withdraw, on display,
    ended; each queue sortable by its column heads and paged."""
    if not has_permission(request.user, VIEW_PUBLICATION):
        raise PermissionDenied
    queues = selectors.manage_queues(request.user)
    to_publish = tables.sorted_page(
        request, queues.to_publish, TO_PUBLISH_SORTS, per_page=QUEUE_PAGE, prefix="publish_"
    )
    to_withdraw = tables.sorted_page(
        request, queues.to_withdraw, TO_WITHDRAW_SORTS, per_page=QUEUE_PAGE, prefix="withdraw_"
    )
    today = timezone.localdate()
    context = {
        "queues": queues,
        "to_publish": to_publish,
        "to_publish_rows": selectors.queue_rows(to_publish.object_list, "publish_by", today),
        "to_withdraw": to_withdraw,
        "to_withdraw_rows": selectors.queue_rows(to_withdraw.object_list, "withdraw_by", today),
        "on_display": tables.sorted_page(
            request, queues.on_display, ON_DISPLAY_SORTS, per_page=QUEUE_PAGE, prefix="display_"
        ),
        "ended": tables.sorted_page(
            request, queues.ended, ENDED_SORTS, per_page=QUEUE_PAGE, prefix="ended_"
        ),
        "columns": {
            "to_publish": TO_PUBLISH_COLUMNS,
            "to_withdraw": TO_WITHDRAW_COLUMNS,
            "on_display": ON_DISPLAY_COLUMNS,
            "ended": ENDED_COLUMNS,
        },
    }
    return render(request, template_for(request, "portal/manage.html", "queues"), context)


def _detail_context(request: HttpRequest, publication: Publication, **forms: Any) -> dict[str, Any]:
    user = request.user
    status = publication.status
    return {
        "publication": publication,
        "preview": services.publications.masked_fields(publication),
        "versions": selectors.publication_versions(publication),
        "days_left": selectors.working_days_left(
            publication.publish_by
            if status == PublicationStatus.DRAFT
            else publication.withdraw_by,
            timezone.localdate(),
        ),
        "can_publish": status == PublicationStatus.DRAFT
        and has_permission(user, "portal.publish_publication"),
        "can_withdraw": status in (PublicationStatus.DRAFT, PublicationStatus.PUBLISHED)
        and has_permission(user, "portal.withdraw_publication"),
        "can_stop": status == PublicationStatus.PUBLISHED
        and rules.may_stop_early(publication.penalty_kinds)
        and has_permission(user, "portal.stop_publication"),
        "withdraw_form": forms.get("withdraw_form")
        or WithdrawForm(initial={"reason": publication.reason}),
        "stop_form": forms.get("stop_form") or EarlyStopForm(),
        "publish_errors": forms.get("publish_errors"),
    }


@require_safe
def publication_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One publication for its department: content, masked preview, versions, actions."""
    publication = selectors.get_publication_for_user(request.user, public_id)
    return render(request, "portal/publication_detail.html", _detail_context(request, publication))


def _detail_url(publication: Publication) -> str:
    return reverse("portal:publication_detail", args=[publication.public_id])


@require_POST
def publication_publish(request: HttpRequest, public_id: str) -> HttpResponse:
    """Publish a draft (one click)."""
    publication = selectors.get_publication_for_user(request.user, public_id)
    try:
        services.publish_publication(actor=request.user, publication=publication)
    except ValidationError as exc:
        context = _detail_context(request, publication, publish_errors=exc.messages)
        return render(request, "portal/publication_detail.html", context, status=UNPROCESSABLE)
    return _go(request, _detail_url(publication))


@require_POST
def publication_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    """Withdraw a draft or a publication, with the reason."""
    publication = selectors.get_publication_for_user(request.user, public_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_publication(
                actor=request.user, publication=publication, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _go(request, _detail_url(publication))
    context = _detail_context(request, publication, withdraw_form=form)
    return render(request, "portal/publication_detail.html", context, status=UNPROCESSABLE)


@require_POST
def publication_stop(request: HttpRequest, public_id: str) -> HttpResponse:
    """Stop a publication early, recording the article 14 checklist."""
    publication = selectors.get_publication_for_user(request.user, public_id)
    form = EarlyStopForm(request.POST)
    if form.is_valid():
        try:
            services.stop_publication_early(
                actor=request.user,
                publication=publication,
                conditions=form.cleaned_data["conditions"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _go(request, _detail_url(publication))
    context = _detail_context(request, publication, stop_form=form)
    return render(request, "portal/publication_detail.html", context, status=UNPROCESSABLE)


# --- typical cases ---------------------------------------------------------------------------


@require_safe
def case_manage_list(request: HttpRequest) -> HttpResponse:
    """My department's typical cases, published or not, sortable by the column heads."""
    if not has_permission(request.user, VIEW_TYPICAL_CASE):
        raise PermissionDenied
    page = tables.sorted_page(
        request,
        selectors.typical_cases_visible_to(request.user),
        TYPICAL_CASE_SORTS,
        per_page=QUEUE_PAGE,
    )
    context = {
        "columns": TYPICAL_CASE_COLUMNS,
        "page_obj": page,
        "cases": page.object_list,
        "can_add": has_permission(request.user, ADD_TYPICAL_CASE),
    }
    return render(
        request, template_for(request, "portal/case_manage_list.html", "case-table"), context
    )


def _publications_for_form(request: HttpRequest) -> Any:
    return (
        selectors.publications_visible_to(request.user)
        .exclude(status=PublicationStatus.DRAFT)
        .order_by("-decided_on", "-id")
    )


def case_create(request: HttpRequest) -> HttpResponse:
    """Write a typical case (not yet published)."""
    if not has_permission(request.user, ADD_TYPICAL_CASE):
        raise PermissionDenied
    form = TypicalCaseForm(request.POST or None, publications=_publications_for_form(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = services.create_typical_case(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("portal:case_edit", public_id=case.public_id)
        status = UNPROCESSABLE
    return render(request, "portal/case_form.html", {"form": form}, status=status)


def case_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """Change a typical case; publish or unpublish it."""
    case = selectors.get_typical_case_for_user(request.user, public_id, "change")
    initial = {
        "title": case.title,
        "summary": case.summary,
        "body": case.body,
        "publication": case.publication.public_id if case.publication else None,
    }
    form = TypicalCaseForm(
        request.POST or None, initial=initial, publications=_publications_for_form(request)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_typical_case(actor=request.user, case=case, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("portal:case_edit", public_id=case.public_id)
        status = UNPROCESSABLE
    return render(request, "portal/case_form.html", {"form": form, "case": case}, status=status)


@require_POST
def case_publish(request: HttpRequest, public_id: str) -> HttpResponse:
    """Publish (``publish=1``) or unpublish (``publish=0``) a typical case."""
    case = selectors.get_typical_case_for_user(request.user, public_id)
    if request.POST.get("publish") == "1":
        services.publish_typical_case(actor=request.user, case=case)
    else:
        services.unpublish_typical_case(actor=request.user, case=case)
    return _go(request, reverse("portal:case_edit", args=[case.public_id]))


# --- the entity profile's panel -------------------------------------------------------------


@require_safe
def entity_publications(request: HttpRequest, public_id: str) -> HttpResponse:
    """The card on the entity profile: penalty information about the entity."""
    entity = registry_selectors.get_entity_for_user(request.user, public_id)
    rows = selectors.publications_of_entity(request.user, entity.public_id)[:20]
    return render(request, "portal/entity_panel.html", {"publications": rows})

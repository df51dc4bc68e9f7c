"""Pages of regulated entities: search, the profile (一户一档), create, edit, export."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from yaojian.accounts.scoping import has_permission, has_permission_in_region
from yaojian.core import sorting
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import is_partial, template_for
from yaojian.core.pagination import CappedCountPaginator
from yaojian.registry import exports, selectors, services
from yaojian.registry.filtersets import EntityFilterSet
from yaojian.registry.forms import (
    EntityForm,
    ExportForm,
    LicenceForm,
    LicenceTransitionForm,
    PersonAddForm,
    PersonLinkEndForm,
    ProductLinkForm,
)
from yaojian.registry.panels import panels_for
from yaojian.registry.views.common import history_rows, profile_columns

PAGE_SIZE = 25
ENTITY_SORTS = {
    "name": "name",
    "credit_code": "unified_social_credit_code",
    "kind": "kind",
    "region": "region_id",
    "status": "status",
}


def _list_context(request: HttpRequest, data: Any) -> dict[str, Any]:
    filterset = EntityFilterSet(
        data, queryset=selectors.search_entities(request.user), request=request
    )
    entities = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    entities = sorting.sort(request, entities, ENTITY_SORTS)
    page = CappedCountPaginator(entities, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "filterset": filterset,
        "form": filterset.form,
        "page_obj": page,
        "entities": page.object_list,
        "export_form": ExportForm(),
        "can_create": has_permission(request.user, "registry.add_entity"),
    }


def entity_list(request: HttpRequest) -> HttpResponse:
    """Search entities in my jurisdiction (htmx: ``#entity-table`` as the user types)."""
    context = _list_context(request, request.GET)
    return render(
        request, template_for(request, "registry/entity_list.html", "entity-table"), context
    )


def profile_context(request: HttpRequest, entity: Any, **forms: Any) -> dict[str, Any]:
    """The profile's context; ``forms`` replace the blank forms (to show errors).

    ``failed_transition`` and ``failed_end`` are ``(row key, form)`` pairs for the forms
    shown once per licence or person row; ``person_notice`` is said above the persons.
    """
    profile = selectors.entity_profile(request.user, entity)
    failed = forms.pop("failed_transition", None)
    failed_end = forms.pop("failed_end", None)
    for licence in profile.licences:
        if licence.pk not in profile.changeable_licence_ids:
            licence.transition_form = None  # type: ignore[attr-defined]
        elif failed is not None and failed[0] == licence.pk:
            licence.transition_form = failed[1]  # type: ignore[attr-defined]
        elif selectors.allowed_licence_transitions(licence):
            licence.transition_form = LicenceTransitionForm(  # type: ignore[attr-defined]
                licence=licence, auto_id=f"id_%s_{licence.public_id.hex[:8]}"
            )
        else:
            licence.transition_form = None  # type: ignore[attr-defined]
    for row in profile.current_persons:
        if not profile.can_change:
            row.link.end_form = None  # type: ignore[attr-defined]
        elif failed_end is not None and failed_end[0] == row.link.pk:
            row.link.end_form = failed_end[1]  # type: ignore[attr-defined]
        else:
            row.link.end_form = PersonLinkEndForm(  # type: ignore[attr-defined]
                entity=entity, link=row.link
            )
    stale_end = failed_end is not None and failed_end[0] is None
    return {
        "entity": entity,
        "profile": profile,
        "history": history_rows(profile.history) if profile.history is not None else None,
        "licence_form": forms.get("licence_form") or LicenceForm(auto_id="id_licence_%s"),
        "product_link_form": forms.get("product_link_form")
        or ProductLinkForm(user=request.user, auto_id="id_product_link_%s"),
        "can_add_person": profile.can_change
        and has_permission_in_region(request.user, "registry.add_person", entity.region_id),
        "person_add_form": forms.get("person_add_form") or PersonAddForm(auto_id="id_person_%s"),
        "person_notice": forms.get("person_notice"),
        "persons_errors": failed_end[1].non_field_errors() if stale_end else None,
        "panels": panels_for(entity),
        "columns": profile_columns(can_change=profile.can_change),
    }


def entity_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The profile of one entity (htmx: ``#entity-history``, refreshed after changes)."""
    entity = selectors.get_entity_for_user(request.user, public_id)
    context = profile_context(request, entity)
    return render(
        request, template_for(request, "registry/entity_detail.html", "entity-history"), context
    )


def entity_create(request: HttpRequest) -> HttpResponse:
    """Register an entity (data stewards and administrators, in their jurisdiction)."""
    if not has_permission(request.user, "registry.add_entity"):
        raise PermissionDenied
    form = EntityForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                entity = services.create_entity(actor=request.user, **form.service_arguments())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("registry:entity_detail", public_id=entity.public_id)
        status = UNPROCESSABLE
    return render(request, "registry/entity_form.html", {"form": form}, status=status)


def entity_update(request: HttpRequest, public_id: str) -> HttpResponse:
    """Change an entity's profile fields (audited with the reason given)."""
    entity = selectors.get_entity_for_user(request.user, public_id)
    if not selectors.can_change_entity(request.user, entity):
        raise PermissionDenied
    form = EntityForm(request.POST or None, user=request.user, instance=entity)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_entity(
                    actor=request.user,
                    entity=entity,
                    reason=form.cleaned_data.get("reason", ""),
                    **form.service_arguments(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("registry:entity_detail", public_id=entity.public_id)
        status = UNPROCESSABLE
    context = {"form": form, "entity": entity}
    return render(request, "registry/entity_form.html", context, status=status)


@require_POST
def entity_export(request: HttpRequest) -> HttpResponse:
    """Start a CSV export of the search in the form; then watch it on the job's page."""
    context = _list_context(request, request.POST)
    export_form = ExportForm(request.POST)
    filterset = context["filterset"]
    if not (filterset.is_valid() and export_form.is_valid()):
        context["export_form"] = export_form
        return render(request, "registry/entity_list.html", context, status=UNPROCESSABLE)
    job = exports.start_entity_export(
        actor=request.user,
        filters=filterset.form.cleaned_data,
        encoding=export_form.cleaned_data["encoding"],
    )
    url = reverse("jobs:job_detail", kwargs={"public_id": job.public_id})
    if is_partial(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)

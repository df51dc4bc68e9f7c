"""Pages that change licences: record one, change its status.

From the profile they are used with htmx and answer the ``#entity-licences`` partial (422 with
the errors shown in place); without htmx they are plain form pages that redirect back.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import trigger_client_event

from yaojian.accounts.scoping import has_permission_in_region
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import is_partial
from yaojian.registry import selectors, services
from yaojian.registry.forms import LicenceForm, LicenceHolderChangeForm, LicenceTransitionForm
from yaojian.registry.views.entities import profile_context

CHANGED_EVENT = "registry-licences-changed"


def _licences_partial(
    request: HttpRequest, entity: Any, *, status: int = 200, **forms: Any
) -> HttpResponse:
    context = profile_context(request, entity, **forms)
    response = render(
        request, "registry/entity_detail.html#entity-licences", context, status=status
    )
    if status == 200:
        trigger_client_event(response, CHANGED_EVENT)
    return response


def licence_create(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a licence of entity ``public_id``, issued by my department."""
    entity = selectors.get_entity_for_user(request.user, public_id)
    if not has_permission_in_region(request.user, "registry.add_licence", entity.region_id):
        raise PermissionDenied
    form = LicenceForm(request.POST or None, auto_id="id_licence_%s")
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_licence(actor=request.user, entity=entity, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if is_partial(request):
                    return _licences_partial(request, entity)
                return redirect("registry:entity_detail", public_id=entity.public_id)
        if is_partial(request):
            return _licences_partial(request, entity, status=UNPROCESSABLE, licence_form=form)
        return render(
            request,
            "registry/licence_form.html",
            {"form": form, "entity": entity},
            status=UNPROCESSABLE,
        )
    return render(request, "registry/licence_form.html", {"form": form, "entity": entity})


def licence_transition(request: HttpRequest, public_id: str) -> HttpResponse:
    """Change the status of licence ``public_id`` (issuing department only; reason required)."""
    licence = selectors.get_licence_for_user(request.user, public_id)
    if not selectors.can_change_licence(request.user, licence):
        raise PermissionDenied
    entity = selectors.get_entity_for_user(request.user, licence.entity.public_id)
    form = LicenceTransitionForm(
        request.POST or None, licence=licence, auto_id=f"id_%s_{licence.public_id.hex[:8]}"
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.transition_licence(
                    actor=request.user,
                    licence=licence,
                    to_status=form.cleaned_data["to_status"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if is_partial(request):
                    return _licences_partial(request, entity)
                return redirect("registry:entity_detail", public_id=entity.public_id)
        if is_partial(request):
            return _licences_partial(
                request, entity, status=UNPROCESSABLE, failed_transition=(licence.pk, form)
            )
        context = {"form": form, "licence": licence, "entity": entity}
        return render(request, "registry/licence_transition.html", context, status=UNPROCESSABLE)
    context = {"form": form, "licence": licence, "entity": entity}
    return render(request, "registry/licence_transition.html", context)


def licence_holder_change(request: HttpRequest, public_id: str) -> HttpResponse:
    """File a licence-holder change of licence ``public_id`` (issuing department only); the
    credit restriction check answers on the form (处处受限)."""
    licence = selectors.get_licence_for_user(request.user, public_id)
    if not selectors.can_change_licence(request.user, licence):
        raise PermissionDenied
    entity = selectors.get_entity_for_user(request.user, licence.entity.public_id)
    form = LicenceHolderChangeForm(request.POST or None)
    context = {"form": form, "licence": licence, "entity": entity}
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.change_licence_holder(
                    actor=request.user, licence=licence, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("registry:entity_detail", public_id=changed.entity.public_id)
        return render(request, "registry/licence_holder_change.html", context, status=UNPROCESSABLE)
    return render(request, "registry/licence_holder_change.html", context)

"""Pages that change an entity's products and persons: link a product, add a person (register
and link in one step), end a person's role.

From the profile they are used with htmx and answer the ``#entity-products`` or
``#entity-persons`` partial (422 with the errors shown in place); without htmx they are plain
form pages that redirect back to the profile. Every one needs ``registry.change_entity`` over
the entity's region: 404 outside the jurisdiction, 403 without the permission.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from yaojian.accounts.scoping import has_permission_in_region
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import is_partial
from yaojian.registry import selectors, services
from yaojian.registry.forms import PersonAddForm, PersonLinkEndForm, ProductLinkForm
from yaojian.registry.models import Entity
from yaojian.registry.views.entities import profile_context

CHANGED_EVENT = "registry-profile-changed"


def _entity_to_change(request: HttpRequest, public_id: str) -> Entity:
    entity = selectors.get_entity_for_user(request.user, public_id)
    if not selectors.can_change_entity(request.user, entity):
        raise PermissionDenied
    return entity


def _section(
    request: HttpRequest, entity: Entity, partial: str, *, status: int = 200, **forms: Any
) -> HttpResponse:
    context = profile_context(request, entity, **forms)
    response = render(request, f"registry/entity_detail.html#{partial}", context, status=status)
    if status == 200:
        trigger_client_event(response, CHANGED_EVENT)
    return response


def _form_page(
    request: HttpRequest, entity: Entity, form: Any, kind: str, *, status: int = 200
) -> HttpResponse:
    context = {"entity": entity, "form": form, "kind": kind}
    return render(request, "registry/entity_link_form.html", context, status=status)


def entity_product_link(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record that entity ``public_id`` holds, makes, distributes or sells a product."""
    entity = _entity_to_change(request, public_id)
    form = ProductLinkForm(request.POST or None, user=request.user, auto_id="id_product_link_%s")
    if request.method != "POST":
        return _form_page(request, entity, form, "product")
    if form.is_valid():
        try:
            services.link_product(
                actor=request.user,
                entity=entity,
                product=form.cleaned_data["product"],
                relation=form.cleaned_data["relation"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if is_partial(request):
                return _section(request, entity, "entity-products")
            return redirect("registry:entity_detail", public_id=entity.public_id)
    if is_partial(request):
        return _section(
            request, entity, "entity-products", status=UNPROCESSABLE, product_link_form=form
        )
    return _form_page(request, entity, form, "product", status=UNPROCESSABLE)


def entity_person_add(request: HttpRequest, public_id: str) -> HttpResponse:
    """Register a person and give them a role at entity ``public_id`` in one step.

    An identity card number already registered in the user's jurisdiction, under the same
    name, links that person instead (their record is left as it is, and the page says so).
    Nothing is written when any part fails.
    """
    entity = _entity_to_change(request, public_id)
    if not has_permission_in_region(request.user, "registry.add_person", entity.region_id):
        raise PermissionDenied
    form = PersonAddForm(request.POST or None, auto_id="id_person_%s")
    if request.method != "POST":
        return _form_page(request, entity, form, "person")
    if form.is_valid():
        try:
            link, created = services.add_person_to_entity(
                actor=request.user, entity=entity, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            notice = None
            if not created:
                notice = _(
                    "%(name)s was already registered with this identity card number: that "
                    "record was linked and its details were not changed."
                ) % {"name": link.person.name}
            if is_partial(request):
                return _section(request, entity, "entity-persons", person_notice=notice)
            if notice:
                messages.info(request, notice)
            return redirect("registry:entity_detail", public_id=entity.public_id)
    if is_partial(request):
        return _section(
            request, entity, "entity-persons", status=UNPROCESSABLE, person_add_form=form
        )
    return _form_page(request, entity, form, "person", status=UNPROCESSABLE)


@require_POST
def entity_person_end(request: HttpRequest, public_id: str) -> HttpResponse:
    """End a person's current role at entity ``public_id`` (the person and role are posted)."""
    entity = _entity_to_change(request, public_id)
    form = PersonLinkEndForm(request.POST, entity=entity)
    if form.is_valid():
        link = form.cleaned_data["link"]
        try:
            services.end_person_link(
                actor=request.user,
                link=link,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if is_partial(request):
                return _section(request, entity, "entity-persons")
            return redirect("registry:entity_detail", public_id=entity.public_id)
    if is_partial(request):
        link = form.cleaned_data.get("link") if hasattr(form, "cleaned_data") else None
        return _section(
            request,
            entity,
            "entity-persons",
            status=UNPROCESSABLE,
            failed_end=(link.pk if link is not None else None, form),
        )
    return _form_page(request, entity, form, "end", status=UNPROCESSABLE)

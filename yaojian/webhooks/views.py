"""Pages of the webhooks app: my department's endpoints, the delivery log, replay.

Administrators manage; department heads read. Everything is scoped to the user's own
departments through the selectors (another department's endpoint is a 404). A new or
rotated secret is shown once, on the response to the POST that made it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yaojian.core import sorting, tables
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import is_partial, render_after_action, template_for
from yaojian.webhooks import selectors, services
from yaojian.webhooks.choices import REPLAYABLE_STATUSES
from yaojian.webhooks.forms import DeliveryFilterForm, EndpointForm
from yaojian.webhooks.models import Endpoint

PAGE_SIZE = 50
ENDPOINT_SORTS = {
    "name": "name",
    "department": "department__name",
    "url": "url",
    "active": "is_active",
    "deliveries": "delivery_count",
}
ENDPOINT_COLUMNS = tables.columns(
    ("name", _lazy("Name"), True),
    ("department", _lazy("Department"), True),
    ("url", _lazy("URL"), True),
    ("events", _lazy("Event types")),
    ("active", _lazy("Status"), True),
    ("deliveries", _lazy("Deliveries"), True),
)
DELIVERY_SORTS = {
    "created": "created_at",
    "endpoint": "endpoint__name",
    "event": "event_type",
    "status": "status",
    "attempts": "attempts",
    "next_attempt": "next_attempt_at",
}


def _require_view(request: HttpRequest) -> None:
    if not selectors.can_view_webhooks(request.user):
        raise PermissionDenied


def _require_manage(request: HttpRequest) -> None:
    if not selectors.can_manage_webhooks(request.user):
        raise PermissionDenied


@require_GET
def endpoint_list(request: HttpRequest) -> HttpResponse:
    """Endpoints of my department, sortable by the column heads, 50 a page."""
    _require_view(request)
    page = tables.sorted_page(
        request,
        selectors.endpoints_visible_to(request.user),
        ENDPOINT_SORTS,
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        template_for(request, "webhooks/endpoint_list.html", "endpoint-table"),
        {
            "columns": ENDPOINT_COLUMNS,
            "page_obj": page,
            "endpoints": page.object_list,
            "can_manage": selectors.can_manage_webhooks(request.user),
        },
    )


def _secret_page(request: HttpRequest, endpoint: Endpoint, *, created: bool) -> HttpResponse:
    return render(
        request, "webhooks/endpoint_secret.html", {"endpoint": endpoint, "created": created}
    )


@require_http_methods(["GET", "POST"])
def endpoint_create(request: HttpRequest) -> HttpResponse:
    """Add an endpoint; the answer shows its secret once."""
    _require_manage(request)
    form = EndpointForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST":
        if form.is_valid():
            try:
                endpoint = services.create_endpoint(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _secret_page(request, endpoint, created=True)
        return render(request, "webhooks/endpoint_form.html", {"form": form}, status=UNPROCESSABLE)
    return render(request, "webhooks/endpoint_form.html", {"form": form})


def _deliveries_context(request: HttpRequest, endpoint: Endpoint | None = None) -> dict[str, Any]:
    filters = DeliveryFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else None
    deliveries = selectors.deliveries_visible_to(request.user, status=status, endpoint=endpoint)
    page = Paginator(sorting.sort(request, deliveries, DELIVERY_SORTS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {"filters": filters, "page_obj": page, "deliveries": page.object_list}


@require_GET
def endpoint_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One endpoint: its settings and its deliveries (htmx: the delivery table only)."""
    _require_view(request)
    endpoint = selectors.get_endpoint_for_user(request.user, public_id)
    can_manage = selectors.can_manage_webhooks(request.user)
    form = EndpointForm(
        initial={
            "name": endpoint.name,
            "url": endpoint.url,
            "event_types": endpoint.event_types,
            "is_active": endpoint.is_active,
        }
    )
    context = {
        "endpoint": endpoint,
        "form": form,
        "can_manage": can_manage,
        **_deliveries_context(request, endpoint),
    }
    if is_partial(request):
        return render(request, "webhooks/delivery_list.html#delivery-table", context)
    return render(request, "webhooks/endpoint_detail.html", context)


@require_POST
def endpoint_update(request: HttpRequest, public_id: str) -> HttpResponse:
    """Change an endpoint (administrators)."""
    _require_manage(request)
    endpoint = selectors.get_endpoint_for_user(request.user, public_id)
    form = EndpointForm(request.POST)
    if form.is_valid():
        try:
            services.update_endpoint(actor=request.user, endpoint=endpoint, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The endpoint was saved."))
            return redirect("webhooks:endpoint_detail", public_id=endpoint.public_id)
    context = {
        "endpoint": endpoint,
        "form": form,
        "can_manage": True,
        **_deliveries_context(request, endpoint),
    }
    return render(request, "webhooks/endpoint_detail.html", context, status=UNPROCESSABLE)


@require_POST
def endpoint_rotate(request: HttpRequest, public_id: str) -> HttpResponse:
    """Replace the endpoint's secret; the answer shows the new one once."""
    _require_manage(request)
    endpoint = selectors.get_endpoint_for_user(request.user, public_id)
    endpoint = services.rotate_endpoint_secret(actor=request.user, endpoint=endpoint)
    return _secret_page(request, endpoint, created=False)


@require_GET
def delivery_list(request: HttpRequest) -> HttpResponse:
    """The delivery log of my department, filtered by status (htmx: the table only)."""
    _require_view(request)
    return render(
        request,
        template_for(request, "webhooks/delivery_list.html", "delivery-table"),
        _deliveries_context(request),
    )


def _delivery_context(request: HttpRequest, delivery: Any) -> dict[str, Any]:
    return {
        "delivery": delivery,
        "attempts": selectors.attempts_of(delivery),
        "can_replay": selectors.can_manage_webhooks(request.user)
        and delivery.status in REPLAYABLE_STATUSES,
    }


@require_GET
def delivery_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One delivery with every attempt (status, duration, response excerpt, error)."""
    _require_view(request)
    delivery = selectors.get_delivery_for_user(request.user, public_id)
    return render(
        request,
        template_for(request, "webhooks/delivery_detail.html", "delivery-panel"),
        _delivery_context(request, delivery),
    )


@require_POST
def delivery_replay(request: HttpRequest, public_id: str) -> HttpResponse:
    """Send a delivered or dead delivery again (administrators)."""
    _require_manage(request)
    delivery = selectors.get_delivery_for_user(request.user, public_id)
    try:
        services.replay_delivery(actor=request.user, delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        succeeded = False
    else:
        messages.success(request, _("The delivery was queued again."))
        succeeded = True
    delivery = selectors.get_delivery_for_user(request.user, public_id)
    return render_after_action(
        request,
        template="webhooks/delivery_detail.html",
        partial="delivery-panel",
        context=_delivery_context(request, delivery),
        succeeded=succeeded,
        redirect_to=reverse("webhooks:delivery_detail", args=[delivery.public_id]),
    )

"""Pages of the product reference list: search, one product, add and change products."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yaojian.accounts.scoping import has_permission
from yaojian.core import sorting
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import template_for
from yaojian.registry import selectors, services
from yaojian.registry.filtersets import ProductFilterSet
from yaojian.registry.forms import ProductForm

PAGE_SIZE = 25
PRODUCT_SORTS = {
    "name": "name",
    "generic_name": "generic_name",
    "approval_number": "approval_number",
    "kind": "kind",
    "risk_class": "risk_class",
}


def product_list(request: HttpRequest) -> HttpResponse:
    """Search drugs, devices and cosmetics (htmx: ``#product-table``)."""
    filterset = ProductFilterSet(
        request.GET, queryset=selectors.products_visible_to(request.user), request=request
    )
    products = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    products = sorting.sort(request, products, PRODUCT_SORTS)
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": filterset.form,
        "page_obj": page,
        "products": page.object_list,
        "can_create": has_permission(request.user, "registry.add_product"),
    }
    return render(
        request, template_for(request, "registry/product_list.html", "product-table"), context
    )


def product_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One product and the entities in my jurisdiction that hold, make or sell it."""
    product = selectors.get_product_for_user(request.user, public_id)
    context = {
        "product": product,
        "links": selectors.product_entity_links(request.user, product),
        "can_change": has_permission(request.user, "registry.change_product"),
    }
    return render(request, "registry/product_detail.html", context)


def product_create(request: HttpRequest) -> HttpResponse:
    """Add a product to the reference list (data stewards and administrators)."""
    if not has_permission(request.user, "registry.add_product"):
        raise PermissionDenied
    form = ProductForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                product = services.create_product(actor=request.user, **form.service_arguments())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("registry:product_detail", public_id=product.public_id)
        status = UNPROCESSABLE
    return render(request, "registry/product_form.html", {"form": form}, status=status)


def product_update(request: HttpRequest, public_id: str) -> HttpResponse:
    """Change a product's fields (audited with the reason given); its kind stays."""
    product = selectors.get_product_for_user(request.user, public_id)
    if not has_permission(request.user, "registry.change_product"):
        raise PermissionDenied
    form = ProductForm(request.POST or None, user=request.user, instance=product)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_product(
                    actor=request.user,
                    product=product,
                    reason=form.cleaned_data.get("reason", ""),
                    **form.service_arguments(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("registry:product_detail", public_id=product.public_id)
        status = UNPROCESSABLE
    context = {"form": form, "product": product}
    return render(request, "registry/product_form.html", context, status=status)

"""Pages of the product reference list."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yaojian.core.htmx import template_for
from yaojian.registry import selectors
from yaojian.registry.filtersets import ProductFilterSet

PAGE_SIZE = 25


def product_list(request: HttpRequest) -> HttpResponse:
    """Search drugs, devices and cosmetics (htmx: ``#product-table``)."""
    filterset = ProductFilterSet(
        request.GET, queryset=selectors.products_visible_to(request.user), request=request
    )
    products = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": filterset.form, "page_obj": page, "products": page.object_list}
    return render(
        request, template_for(request, "registry/product_list.html", "product-table"), context
    )


def product_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One product and the entities in my jurisdiction that hold, make or sell it."""
    product = selectors.get_product_for_user(request.user, public_id)
    context = {"product": product, "links": selectors.product_entity_links(request.user, product)}
    return render(request, "registry/product_detail.html", context)

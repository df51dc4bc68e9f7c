"""htmx helpers: the one place that decides whether to render a partial."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """An HttpRequest with django-htmx's ``htmx`` attribute, for type checking."""

    htmx: HtmxDetails


def is_partial(request: HttpRequest) -> bool:
    """True when the request comes from htmx and is not a boosted navigation."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not bool(getattr(htmx, "boosted", False))


def template_for(request: HttpRequest, template: str, partial: str) -> str:
    """``template`` for full pages, ``template#partial`` for htmx requests."""
    return f"{template}#{partial}" if is_partial(request) else template

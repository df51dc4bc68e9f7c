"""htmx helpers: the one place that decides whether to render a partial."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
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


def render_after_action(
    request: HttpRequest,
    *,
    template: str,
    partial: str,
    context: dict[str, Any],
    succeeded: bool,
    redirect_to: str,
) -> HttpResponse:
    """The answer to a POSTed action on a detail page (replay, acknowledge …).

    htmx gets the page's ``partial`` re-rendered (422 when the action was refused); a plain
    form post is redirected to ``redirect_to`` after success (post/redirect/get) and gets the
    whole page with 422 after a refusal, the message shown by the messages framework.
    """
    from django.shortcuts import redirect, render

    from yaojian.core.form_errors import UNPROCESSABLE

    status = 200 if succeeded else UNPROCESSABLE
    if is_partial(request):
        return render(request, f"{template}#{partial}", context, status=status)
    if succeeded:
        return redirect(redirect_to)
    return render(request, template, context, status=status)

"""Security headers on every response: the Content-Security-Policy (ADR 0012).

The policy allows scripts, styles, images, fonts and requests from the platform itself and
nothing else: no inline script, no ``eval``, no CDN, no framing. Styles may be inline
(``style="…"`` attributes and ``<style>`` elements that htmx, Swagger UI, Redoc and the chart
library insert), since a style cannot run code; see ADR 0012 for the reasons.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

#: The default policy, directive by directive (``settings.CONTENT_SECURITY_POLICY`` overrides).
DEFAULT_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'", "data:"),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "frame-ancestors": ("'none'",),
    "form-action": ("'self'",),
    "base-uri": ("'self'",),
}


def policy_header(policy: dict[str, tuple[str, ...]]) -> str:
    """The header value: ``directive source source; …`` in the order given."""
    return "; ".join(" ".join((name, *sources)) for name, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Set ``Content-Security-Policy`` on every response that has none yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = policy_header(getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.header
        return response

"""Views of the API composition root."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.views import SpectacularRedocView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class NotFoundView(APIView):
    """Answer every method on an unknown /api/v1/ path with the JSON 404."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    schema = None  # not part of the documented API

    def dispatch_not_found(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise Http404

    get = post = put = patch = delete = head = options = dispatch_not_found


class RedocView(SpectacularRedocView):
    """Redoc served from the vendored sidecar bundle, with no web fonts from a CDN."""

    template_name = "api/redoc.html"

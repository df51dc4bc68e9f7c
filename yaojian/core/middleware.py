"""Project middleware: request context for the audit trail, 404 for chokepoints, Chinese first."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from yaojian.core import request_context


class RequestContextMiddleware:
    """Give each request an id (``X-Request-ID`` if sent) and remember its address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = request.headers.get("X-Request-ID", "")
        request_id = sent[:64] if sent.isascii() and sent.strip() else uuid.uuid4().hex
        ip = request.META.get("REMOTE_ADDR") or None
        token = request_context.bind(
            request_context.RequestContext(request_id=request_id, ip_address=ip)
        )
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class NotFoundMiddleware:
    """Answer 404 when a ``get_<x>_for_user`` chokepoint raised ``DoesNotExist``.

    Selectors raise the model's ``DoesNotExist`` for missing *and* forbidden objects alike
    (they may not import ``django.http``); this turns both into the same 404.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, ObjectDoesNotExist):
            raise Http404 from exception


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese first: the UI speaks zh-hans unless the user chose another language.

    The staff UI follows only the language cookie set by the language switch (a browser's
    ``Accept-Language`` of ``en-US`` does not turn a regulator's screen English). The API
    (``/api/``) also honours ``Accept-Language``, for partner systems.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and translation.check_for_language(chosen):
            language = translation.get_supported_language_variant(chosen)
        elif request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

"""Views of the API composition root."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from drf_spectacular.views import SpectacularRedocView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yaojian.api.pagination import BulkCursorPagination
from yaojian.registry.api.serializers import EntitySerializer
from yaojian.registry.api.views import EntityListViewSet


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


@extend_schema_serializer(component_name="BulkEntity")
class BulkEntitySerializer(EntitySerializer):
    """An entity as the bulk walk gives it (the same fields as the entity list).

    A component of its own, so that the cursor-paginated page of the walk
    (``PaginatedBulkEntityList``: ``next``, ``previous``, ``results``, no ``count``) is not
    confused with the entity search's numbered page (``PaginatedEntityList``).
    """


@extend_schema(tags=["entities"])
class EntityBulkViewSet(EntityListViewSet):
    """Every entity in the caller's jurisdictions, for partner systems that copy the registry.

    Walk it by following `next` until it is null: the cursor is stable while rows are
    added (they come last, in the order they were created). Up to 2000 rows a page with
    `page_size` (default 500). Takes the same filters as the entity list; with
    `updated_after` a partner fetches only what changed since its last walk.
    """

    pagination_class = BulkCursorPagination
    serializer_class = BulkEntitySerializer

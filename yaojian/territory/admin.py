"""Read-only admin for territory: regions are loaded by ``load_regions``, grid cells change
through territory.services (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yaojian.territory.models import GridCell, Region


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "level", "parent", "valid_to", "successor"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "successor"]


@admin.register(GridCell)
class GridCellAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region"]
    search_fields = ["code", "name"]
    list_select_related = ["region"]
    filter_horizontal = ["officers"]

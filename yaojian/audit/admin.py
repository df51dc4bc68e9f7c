"""Read-only admin for the audit trail: no adding, changing or deleting, ever."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yaojian.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["id", "occurred_at", "actor_label", "department", "action", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "actor_label", "object_id", "object_repr", "request_id"]
    list_select_related = ["department"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

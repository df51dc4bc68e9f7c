"""Read-only admin of hand-offs (the outbox pages are the primary UI)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from yaojian.outbox.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("created_at", "event_type", "handler", "status", "attempts", "next_attempt_at")
    list_filter = ("status",)
    search_fields = ("event_type", "handler", "idempotency_key")
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

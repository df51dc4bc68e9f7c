"""Read-only admin of stored documents."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from yaojian.documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin[Document]):
    list_display = ["title", "kind", "subject", "department", "created_at", "sha256"]
    list_filter = ["kind"]
    search_fields = ["title", "subject", "sha256"]
    readonly_fields = [f.name for f in Document._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

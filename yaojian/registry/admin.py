"""Read-only admin for the registry: the pages and the API write through registry.services.

Personal data (identity card numbers, phones) is left out: reading it is an audited action
(``registry.services.reveal_personal_data``), which the admin does not offer.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yaojian.registry.models import Entity, Licence, LicenceStatusChange, Person, Product


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LicenceStatusChangeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = LicenceStatusChange
    fields = ["created_at", "from_status", "to_status", "reason", "changed_by"]
    readonly_fields = ["created_at", "from_status", "to_status", "reason", "changed_by"]
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Entity)
class EntityAdmin(ReadOnlyAdmin):
    list_display = ["name", "unified_social_credit_code", "kind", "status", "region"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "unified_social_credit_code", "public_id"]
    list_select_related = ["region"]
    raw_id_fields = ["parent", "grid_cell"]


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "entity", "status", "issued_by", "valid_until"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "entity__name"]
    list_select_related = ["entity", "issued_by"]
    inlines = [LicenceStatusChangeInline]


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["name", "approval_number", "kind", "risk_class", "ethnic_medicine"]
    list_filter = ["kind", "risk_class", "ethnic_medicine"]
    search_fields = ["name", "generic_name", "approval_number"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "qualification", "region", "department"]
    search_fields = ["name", "certificate_number"]
    exclude = ["id_number", "phone"]
    list_select_related = ["region", "department"]

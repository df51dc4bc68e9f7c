"""Operational admin for accounts: read-mostly; memberships and grants change via services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.forms import AdminLoginForm
from yaojian.accounts.models import Department, Membership, ShareGrant, User

# The admin's sign-in counts failures and locks accounts like the staff sign-in page.
admin.site.login_form = AdminLoginForm


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["department", "role", "is_active"]
    readonly_fields = ["department", "role", "is_active"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "full_name", "is_active", "is_service_account", "locked_until"]
    list_filter = ["is_active", "is_staff", "is_superuser", "is_service_account"]
    search_fields = ["username", "full_name", "email"]
    readonly_fields = ["public_id", "last_login", "date_joined", "failed_login_count"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Yaojian"),
            {
                "fields": (
                    "public_id",
                    "full_name",
                    "is_service_account",
                    "failed_login_count",
                    "locked_until",
                )
            },
        ),
    )
    inlines = [MembershipInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "kind", "level", "region", "parent", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["region", "parent"]
    readonly_fields = ["public_id", "created_at", "updated_at"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: members are added and removed on the department page (audited)."""

    list_display = ["user", "department", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__full_name", "department__code", "department__name"]
    list_select_related = ["user", "department"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ShareGrant)
class ShareGrantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: grants are given and revoked on the department page (audited)."""

    list_display = ["grantor", "grantee", "data_kind", "valid_from", "expires_at", "revoked_at"]
    list_filter = ["data_kind"]
    search_fields = ["grantor__code", "grantee__code", "legal_basis"]
    list_select_related = ["grantor", "grantee"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

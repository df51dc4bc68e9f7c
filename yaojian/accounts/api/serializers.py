"""Serializers of the accounts API: shape only, no writes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yaojian.accounts.choices import Role
from yaojian.accounts.models import Department, Membership, User
from yaojian.core.serializers import FieldsBuiltOnce


class DepartmentRefSerializer(FieldsBuiltOnce, serializers.ModelSerializer[Department]):
    """A department referred to from another object."""

    class Meta:
        model = Department
        fields = ["public_id", "code", "name"]
        read_only_fields = fields


class DepartmentSerializer(serializers.ModelSerializer[Department]):
    """A department and its jurisdiction."""

    region_name = serializers.CharField(source="region.name", read_only=True)
    parent = serializers.SlugRelatedField[Department](  # type: ignore[assignment]
        slug_field="public_id",
        read_only=True,
        allow_null=True,
        help_text=_("Public id of the department above, if any."),
    )

    class Meta:
        model = Department
        fields = [
            "public_id",
            "code",
            "name",
            "kind",
            "level",
            "region",
            "region_name",
            "parent",
            "is_active",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "region": {"help_text": _("Division code of the department's jurisdiction.")}
        }


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    """One of the caller's roles in a department."""

    department = DepartmentSerializer(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)

    class Meta:
        model = Membership
        fields = ["department", "role"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer[User]):
    """The calling user with their active memberships and the permissions they grant."""

    memberships = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "public_id",
            "username",
            "full_name",
            "is_service_account",
            "memberships",
            "permissions",
        ]
        read_only_fields = fields

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, user: User) -> list[dict[str, Any]]:
        rows = (
            user.memberships.filter(is_active=True, department__is_active=True)
            .select_related("department__region", "department__parent")
            .order_by("department__code", "role")
        )
        return list(MembershipSerializer(rows, many=True).data)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_permissions(self, user: User) -> list[str]:
        return sorted(user.get_all_permissions())

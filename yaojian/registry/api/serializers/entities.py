"""Serializers of regulated entities: the shared profile, registering and changing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from yaojian.accounts.api.serializers import DepartmentRefSerializer
from yaojian.accounts.models import Department
from yaojian.core.serializers import FieldsBuiltOnce
from yaojian.registry import services
from yaojian.registry.api.serializers.common import (
    ReferenceMixin,
    renamed,
)
from yaojian.registry.choices import (
    EntityKind,
    EntityStatus,
)
from yaojian.registry.models import Entity, Licence
from yaojian.territory.models import GridCell

# The services' field names that differ from the API's.
ENTITY_FIELDS = {"region_code": "region"}


class LicenceSummarySerializer(FieldsBuiltOnce, serializers.ModelSerializer[Licence]):
    """A licence as listed on its entity."""

    class Meta:
        model = Licence
        fields = ["public_id", "kind", "number", "status", "valid_until"]
        read_only_fields = fields


class EntitySerializer(FieldsBuiltOnce, serializers.ModelSerializer[Entity]):
    """A regulated entity (监管对象): the shared profile every department sees."""

    region_name = serializers.CharField(source="region.name", read_only=True)
    grid_cell = serializers.SlugRelatedField[GridCell](
        slug_field="public_id",
        read_only=True,
        allow_null=True,
        help_text=_("Public id of the grid cell, if any."),
    )
    parent = serializers.SlugRelatedField[Entity](  # type: ignore[assignment]
        slug_field="public_id",
        read_only=True,
        allow_null=True,
        help_text=_("Public id of the chain headquarters, if any."),
    )
    registered_by = DepartmentRefSerializer(read_only=True)
    licences = LicenceSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Entity
        fields = [
            "public_id",
            "name",
            "unified_social_credit_code",
            "kind",
            "status",
            "region",
            "region_name",
            "address",
            "grid_cell",
            "legal_representative",
            "parent",
            "registered_by",
            "licences",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"region": {"help_text": _("Division code of the entity's region.")}}


class EntityWriteSerializer(ReferenceMixin, serializers.Serializer[Entity]):
    """Input for registering (POST) or changing (PATCH) a regulated entity."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=EntityKind.choices)
    region = serializers.CharField(
        max_length=12, help_text=_("Division code of the entity's region (6 digits).")
    )
    unified_social_credit_code = serializers.CharField(
        max_length=32, required=False, allow_blank=True, allow_null=True
    )
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    legal_representative = serializers.CharField(max_length=64, required=False, allow_blank=True)
    grid_cell = serializers.UUIDField(
        required=False, allow_null=True, help_text=_("Public id of a grid cell.")
    )
    parent = serializers.UUIDField(  # type: ignore[assignment]
        required=False, allow_null=True, help_text=_("Public id of the chain headquarters.")
    )

    def validate_grid_cell(self, value: Any) -> GridCell | None:
        return self.grid_cell_for(value)

    def validate_parent(self, value: Any) -> Entity | None:
        return self.entity_for(value)


class EntityCreateSerializer(EntityWriteSerializer):
    """Input for registering a regulated entity."""

    registered_by = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_(
            "Public id of the caller's department that registers it "
            "(default: the most local one that may)."
        ),
    )

    def validate_registered_by(self, value: Any) -> Department | None:
        return self.department_for(value)

    def create(self, validated_data: dict[str, Any]) -> Entity:
        data = dict(validated_data)
        try:
            return services.create_entity(actor=self.user, region_code=data.pop("region"), **data)
        except DjangoValidationError as exc:
            raise renamed(exc, ENTITY_FIELDS) from exc


class EntityUpdateSerializer(EntityWriteSerializer):
    """Input for changing a regulated entity: any subset of the fields, and a reason."""

    status = serializers.ChoiceField(choices=EntityStatus.choices, required=False)
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Why the change was made (audited).")
    )

    def update(self, instance: Entity, validated_data: dict[str, Any]) -> Entity:
        changes = dict(validated_data)
        reason = changes.pop("reason", "")
        if "region" in changes:
            changes["region_code"] = changes.pop("region")
        try:
            return services.update_entity(
                actor=self.user, entity=instance, reason=reason, **changes
            )
        except DjangoValidationError as exc:
            raise renamed(exc, ENTITY_FIELDS) from exc

"""Serializers of licences: reading, recording and changing their status."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yaojian.accounts.api.serializers import DepartmentRefSerializer
from yaojian.registry import selectors, services
from yaojian.registry.api.serializers.common import (
    EntityRefSerializer,
    ReferenceMixin,
)
from yaojian.registry.choices import (
    LicenceKind,
    LicenceStatus,
)
from yaojian.registry.models import Licence


class LicenceSerializer(serializers.ModelSerializer[Licence]):
    """A licence, certificate or agreement an entity holds."""

    entity = EntityRefSerializer(read_only=True)
    issued_by = DepartmentRefSerializer(read_only=True)
    allowed_transitions = serializers.SerializerMethodField(
        help_text=_("The statuses the licence may move to next.")
    )

    class Meta:
        model = Licence
        fields = [
            "public_id",
            "entity",
            "kind",
            "number",
            "issued_by",
            "scope_of_business",
            "valid_from",
            "valid_until",
            "status",
            "allowed_transitions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=LicenceStatus.choices))
    )
    def get_allowed_transitions(self, licence: Licence) -> list[str]:
        return selectors.allowed_licence_transitions(licence)


class LicenceCreateSerializer(ReferenceMixin, serializers.Serializer[Licence]):
    """Input for recording a licence an entity holds."""

    entity = serializers.UUIDField(help_text=_("Public id of the entity holding the licence."))
    kind = serializers.ChoiceField(choices=LicenceKind.choices)
    number = serializers.CharField(max_length=64)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    scope_of_business = serializers.CharField(required=False, allow_blank=True)

    def create(self, validated_data: dict[str, Any]) -> Licence:
        data = dict(validated_data)
        # The licence's entity is the object acted on: not visible means 404, as elsewhere.
        entity = selectors.get_entity_for_user(self.user, data.pop("entity"))
        return services.add_licence(actor=self.user, entity=entity, **data)


class LicenceTransitionSerializer(ReferenceMixin, serializers.Serializer[Licence]):
    """Input for moving a licence to another status."""

    to_status = serializers.ChoiceField(choices=LicenceStatus.choices)
    reason = serializers.CharField(max_length=2000)

    def update(self, instance: Licence, validated_data: dict[str, Any]) -> Licence:
        return services.transition_licence(actor=self.user, licence=instance, **validated_data)


class LicenceHolderChangeSerializer(ReferenceMixin, serializers.Serializer[Licence]):
    """Input for filing a licence-holder change (the credit restriction check applies)."""

    credit_code = serializers.CharField(max_length=32)
    reason = serializers.CharField(max_length=2000)
    override_reason = serializers.CharField(max_length=2000, required=False, default="")

    def update(self, instance: Licence, validated_data: dict[str, Any]) -> Licence:
        return services.change_licence_holder(actor=self.user, licence=instance, **validated_data)

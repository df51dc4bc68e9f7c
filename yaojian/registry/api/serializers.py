"""Serializers of the registry API: shape and input validation only.

Writes go through :mod:`yaojian.registry.services`; references in input (grid cells,
headquarters, departments) are resolved among what the caller may see.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yaojian.accounts.api.serializers import DepartmentRefSerializer
from yaojian.accounts.models import Department
from yaojian.registry import selectors, services
from yaojian.registry.choices import EntityKind, EntityStatus, LicenceKind, LicenceStatus
from yaojian.registry.identifiers import mask_id_card_number, mask_phone
from yaojian.registry.models import Entity, Licence, Person, Product
from yaojian.territory.models import GridCell

NOT_VISIBLE = _("The object does not exist or you may not see it.")
# The services' field names that differ from the API's.
ENTITY_FIELDS = {"region_code": "region"}


def renamed(exc: DjangoValidationError, names: dict[str, str]) -> DjangoValidationError:
    """The same per-field errors under the API's field names (``region_code`` → ``region``)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return DjangoValidationError(
        {names.get(field, field): errors for field, errors in exc.error_dict.items()}
    )


# --- read ---------------------------------------------------------------------------------


class EntityRefSerializer(serializers.ModelSerializer[Entity]):
    """An entity referred to from another object."""

    class Meta:
        model = Entity
        fields = ["public_id", "name"]
        read_only_fields = fields


class LicenceSummarySerializer(serializers.ModelSerializer[Licence]):
    """A licence as listed on its entity."""

    class Meta:
        model = Licence
        fields = ["public_id", "kind", "number", "status", "valid_until"]
        read_only_fields = fields


class EntitySerializer(serializers.ModelSerializer[Entity]):
    """A regulated entity (监管对象): the shared profile every department sees."""

    region_name = serializers.CharField(source="region.name", read_only=True)
    grid_cell = serializers.SlugRelatedField[GridCell](
        slug_field="public_id",
        read_only=True,
        help_text=_("Public id of the grid cell, if any."),
    )
    parent = serializers.SlugRelatedField[Entity](  # type: ignore[assignment]
        slug_field="public_id",
        read_only=True,
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


class ProductSerializer(serializers.ModelSerializer[Product]):
    """A drug, device or cosmetic on the national reference list."""

    holder = EntityRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Product
        fields = [
            "public_id",
            "kind",
            "name",
            "generic_name",
            "approval_number",
            "approval_scheme",
            "origin",
            "category",
            "dosage_form",
            "strength",
            "ethnic_medicine",
            "risk_class",
            "holder",
        ]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer[Person]):
    """A person linked to entities; the personal data always comes masked.

    The clear values come from ``POST …/reveal/``, which is audited, when ``can_reveal``.
    """

    id_number = serializers.SerializerMethodField(
        help_text=_("Identity card number, masked (e.g. 540102********123X).")
    )
    phone = serializers.SerializerMethodField(help_text=_("Phone number, masked."))
    region_name = serializers.CharField(source="region.name", read_only=True)
    department = DepartmentRefSerializer(
        read_only=True, help_text=_("The department that owns the personal data.")
    )
    can_reveal = serializers.SerializerMethodField(
        help_text=_("Whether the caller may read the clear personal data (audited).")
    )

    class Meta:
        model = Person
        fields = [
            "public_id",
            "name",
            "id_number",
            "phone",
            "qualification",
            "certificate_number",
            "region",
            "region_name",
            "department",
            "can_reveal",
        ]
        read_only_fields = fields
        extra_kwargs = {"region": {"help_text": _("Division code of the person's region.")}}

    def get_id_number(self, person: Person) -> str:
        return mask_id_card_number(person.id_number) if person.id_number else ""

    def get_phone(self, person: Person) -> str:
        return mask_phone(person.phone) if person.phone else ""

    def get_can_reveal(self, person: Person) -> bool:
        has_data = bool(person.id_number or person.phone)
        return has_data and selectors.can_see_personal_data(self.context["request"].user, person)


class PersonalDataSerializer(serializers.Serializer[dict[str, str]]):
    """A person's clear personal data (every read is audited)."""

    id_number = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)


# --- write --------------------------------------------------------------------------------


class _ReferenceMixin:
    """Resolves public ids in input among the objects the caller may see."""

    context: dict[str, Any]

    @property
    def user(self) -> Any:
        return self.context["request"].user

    def grid_cell_for(self, value: Any) -> GridCell | None:
        if value is None:
            return None
        cell = GridCell.objects.visible_to(self.user).filter(public_id=value).first()
        if cell is None:
            raise serializers.ValidationError(NOT_VISIBLE)
        return cell

    def entity_for(self, value: Any) -> Entity | None:
        if value is None:
            return None
        entity = Entity.objects.visible_to(self.user).filter(public_id=value).first()
        if entity is None:
            raise serializers.ValidationError(NOT_VISIBLE)
        return entity

    def department_for(self, value: Any) -> Department | None:
        if value is None:
            return None
        department = Department.objects.visible_to(self.user).filter(public_id=value).first()
        if department is None:
            raise serializers.ValidationError(NOT_VISIBLE)
        return department


class EntityWriteSerializer(_ReferenceMixin, serializers.Serializer[Entity]):
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


class LicenceCreateSerializer(_ReferenceMixin, serializers.Serializer[Licence]):
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


class LicenceTransitionSerializer(_ReferenceMixin, serializers.Serializer[Licence]):
    """Input for moving a licence to another status."""

    to_status = serializers.ChoiceField(choices=LicenceStatus.choices)
    reason = serializers.CharField(max_length=2000)

    def update(self, instance: Licence, validated_data: dict[str, Any]) -> Licence:
        return services.transition_licence(actor=self.user, licence=instance, **validated_data)

"""Serializers of products and of entities' relations to them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from yaojian.registry import services
from yaojian.registry.api.serializers.common import (
    EntityRefSerializer,
    ProductRefSerializer,
    ReferenceMixin,
)
from yaojian.registry.choices import (
    EthnicMedicine,
    ProductKind,
    ProductRelation,
    RiskClass,
)
from yaojian.registry.models import Entity, EntityProduct, Product


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


class ProductWriteSerializer(ReferenceMixin, serializers.Serializer[Product]):
    """Input for adding (POST) or changing (PATCH) a product."""

    name = serializers.CharField(max_length=200)
    generic_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    approval_number = serializers.CharField(
        max_length=64,
        help_text=_(
            "For drugs a national approval number or the number of a hospital preparation "
            "(scheme, origin and category are derived from it); for devices and cosmetics "
            "their registration or filing number. Unique per kind."
        ),
    )
    dosage_form = serializers.CharField(max_length=64, required=False, allow_blank=True)
    strength = serializers.CharField(max_length=64, required=False, allow_blank=True)
    ethnic_medicine = serializers.ChoiceField(
        choices=EthnicMedicine.choices,
        required=False,
        allow_blank=True,
        help_text=_("Ethnic-medicine attribute, e.g. Tibetan medicine; empty for none."),
    )
    risk_class = serializers.ChoiceField(choices=RiskClass.choices, required=False)
    holder = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_(
            "Public id of the holding entity, which must lie in the caller's jurisdiction."
        ),
    )

    def validate_holder(self, value: Any) -> Entity | None:
        return self.entity_for(value)


class ProductCreateSerializer(ProductWriteSerializer):
    """Input for adding a drug, device or cosmetic to the reference list."""

    kind = serializers.ChoiceField(choices=ProductKind.choices)

    def create(self, validated_data: dict[str, Any]) -> Product:
        return services.create_product(actor=self.user, **validated_data)


class ProductUpdateSerializer(ProductWriteSerializer):
    """Input for changing a product: any subset of the fields, and a reason. The kind stays."""

    reason = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Why the change was made (audited).")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, dict) and "kind" in self.initial_data:
            raise serializers.ValidationError(
                {"kind": _("The kind of a product cannot change; add a new product instead.")}
            )
        return attrs

    def update(self, instance: Product, validated_data: dict[str, Any]) -> Product:
        changes = dict(validated_data)
        reason = changes.pop("reason", "")
        return services.update_product(actor=self.user, product=instance, reason=reason, **changes)


class EntityProductSerializer(serializers.ModelSerializer[EntityProduct]):
    """An entity's relation to a product."""

    entity = EntityRefSerializer(read_only=True)
    product = ProductRefSerializer(read_only=True)

    class Meta:
        model = EntityProduct
        fields = ["entity", "product", "relation", "created_at"]
        read_only_fields = fields


class EntityProductLinkSerializer(ReferenceMixin, serializers.Serializer[EntityProduct]):
    """Input for recording that the entity holds, makes, distributes or sells a product."""

    product = serializers.UUIDField(help_text=_("Public id of the product."))
    relation = serializers.ChoiceField(choices=ProductRelation.choices)

    def validate_product(self, value: Any) -> Product:
        return self.product_for(value)

    def create(self, validated_data: dict[str, Any]) -> EntityProduct:
        return services.link_product(actor=self.user, **validated_data)

"""Shared pieces of the registry API serializers: references to objects, renamed errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from yaojian.accounts.models import Department
from yaojian.registry import selectors
from yaojian.registry.models import Entity, Person, Product
from yaojian.territory.models import GridCell

NOT_VISIBLE = _("The object does not exist or you may not see it.")


def renamed(exc: DjangoValidationError, names: dict[str, str]) -> DjangoValidationError:
    """The same per-field errors under the API's field names (``region_code`` → ``region``)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return DjangoValidationError(
        {names.get(field, field): errors for field, errors in exc.error_dict.items()}
    )


class ReferenceMixin:
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

    def product_for(self, value: Any) -> Product:
        product = selectors.products_visible_to(self.user).filter(public_id=value).first()
        if product is None:
            raise serializers.ValidationError(NOT_VISIBLE)
        return product

    def person_for(self, value: Any) -> Person:
        person = Person.objects.visible_to(self.user).filter(public_id=value).first()
        if person is None:
            raise serializers.ValidationError(NOT_VISIBLE)
        return person

    def department_for(self, value: Any) -> Department | None:
        if value is None:
            return None
        department = Department.objects.visible_to(self.user).filter(public_id=value).first()
        if department is None:
            raise serializers.ValidationError(NOT_VISIBLE)
        return department


class EntityRefSerializer(serializers.ModelSerializer[Entity]):
    """An entity referred to from another object."""

    class Meta:
        model = Entity
        fields = ["public_id", "name"]
        read_only_fields = fields


class ProductRefSerializer(serializers.ModelSerializer[Product]):
    """A product referred to from another object."""

    class Meta:
        model = Product
        fields = ["public_id", "kind", "name", "approval_number"]
        read_only_fields = fields


class PersonRefSerializer(serializers.ModelSerializer[Person]):
    """A person referred to from another object (no personal data)."""

    class Meta:
        model = Person
        fields = ["public_id", "name"]
        read_only_fields = fields

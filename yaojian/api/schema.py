"""OpenAPI schema generation: the project's choice sets become named enum components.

drf-spectacular names an enum after the *field* (``kind``, ``status``) and warns when one
field name carries several choice sets, as ``kind`` does for departments, entities,
licences and products. Here every serializer ``ChoiceField`` whose values are exactly those
of one of the project's ``TextChoices`` refers to a component named after that class
(``EntityKindEnum``, ``LicenceStatusEnum`` …), whatever the field is called. Loaded by
``ApiConfig.ready()``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_description_list

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role, ShareKind
from yaojian.registry import choices as registry_choices
from yaojian.territory.choices import RegionLevel

NAMED_CHOICES: tuple[type[models.TextChoices], ...] = (
    DepartmentKind,
    DepartmentLevel,
    Role,
    ShareKind,
    RegionLevel,
    registry_choices.EntityKind,
    registry_choices.EntityStatus,
    registry_choices.LicenceKind,
    registry_choices.LicenceStatus,
    registry_choices.ProductKind,
    registry_choices.ApprovalScheme,
    registry_choices.ApprovalOrigin,
    registry_choices.RiskClass,
    registry_choices.EthnicMedicine,
    registry_choices.ProductRelation,
    registry_choices.PersonRole,
)


def _values(values: Any) -> frozenset[str]:
    return frozenset(str(value) for value in values if value not in ("", None))


_BY_VALUES: dict[frozenset[str], type[models.TextChoices]] = {}
for _choices in NAMED_CHOICES:
    _key = _values(_choices.values)
    if _key in _BY_VALUES:  # pragma: no cover - caught by the schema test at once
        raise RuntimeError(f"{_choices.__name__} has the values of {_BY_VALUES[_key].__name__}")
    _BY_VALUES[_key] = _choices


def named_choices_for(values: Any) -> type[models.TextChoices] | None:
    """The project's ``TextChoices`` with exactly these values (blank ignored), if any."""
    return _BY_VALUES.get(_values(values))


def _may_be_blank(field: Any) -> bool:
    """Whether the field may hold ``""``: it allows blank input, or (read-only fields lose
    ``allow_blank``) the model field behind it is ``blank=True``."""
    if field.allow_blank:
        return True
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:  # a property or an annotation
        return False


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    """A ``ChoiceField`` over one of :data:`NAMED_CHOICES` refers to that enum component."""

    target_class = "rest_framework.fields.ChoiceField"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        field = self.target
        named = named_choices_for(field.choices)
        # Only fields of serializers become components; query parameters (django-filter
        # maps them through unbound fields) keep their inline enum.
        if named is None or getattr(field, "parent", None) is None:
            return auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        members = list(named.choices)
        component = ResolvedComponent(
            name=f"{named.__name__}Enum",
            type=ResolvedComponent.SCHEMA,
            object=named,
            schema={
                "type": "string",
                "enum": [value for value, _label in members],
                "description": build_choice_description_list(members),
            },
        )
        auto_schema.registry.register_on_missing(component)
        if "" not in named.values and _may_be_blank(field):
            return {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}
        return component.ref

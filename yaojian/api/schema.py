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


# --- error responses -----------------------------------------------------------------------

ERROR_COMPONENT = "Error"

#: What each error status means, for every operation that can answer it.
ERROR_STATUSES: dict[str, str] = {
    "400": (
        "Invalid input: a field of the body or a query parameter (an unknown enum value, a "
        "wrongly typed value). `errors` holds the messages per field."
    ),
    "401": "No credentials, or credentials that were not accepted (`Authorization: Token …`).",
    "403": "The caller's roles do not allow this.",
    "404": (
        "Missing, or not visible to the caller (the same answer for both); for a list, a page "
        "or cursor that does not exist."
    ),
    "409": "The change conflicts with data stored in the meantime (a race); try again.",
    "429": "Too many requests; try again later.",
}

_UNSAFE = {"post", "put", "patch", "delete"}


def _error_schema() -> dict[str, Any]:
    from yaojian.api.errors import ErrorCode

    return {
        "type": "object",
        "description": "Every error answer: a stable code, a sentence in the request's language "
        "and the messages per invalid field (dotted for nested input).",
        "properties": {
            "code": {"type": "string", "enum": list(ErrorCode.values)},
            "message": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        "required": ["code", "message", "errors"],
    }


def _is_paginated(operation: dict[str, Any]) -> bool:
    names = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"}
    return bool(names & {"page", "cursor"})


def error_statuses(method: str, operation: dict[str, Any]) -> list[str]:
    """The error statuses an operation can answer, from what it takes."""
    parameters = operation.get("parameters", [])
    statuses = {"401", "403", "429"}
    if method in _UNSAFE:
        statuses |= {"400", "409"}
    if "requestBody" in operation or any(p.get("in") == "query" for p in parameters):
        statuses.add("400")
    # A path's object, an object named in the body, a page or a cursor may not exist.
    if method in _UNSAFE or any(p.get("in") == "path" for p in parameters):
        statuses.add("404")
    if _is_paginated(operation):
        statuses.add("404")
    return sorted(statuses)


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: document the error answers of every operation.

    Each operation lists the statuses it can really answer (see :func:`error_statuses`), each
    with the ``Error`` body (``{code, message, errors}``). A description an operation gives
    itself (``@extend_schema(responses={404: …})``) is kept.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_COMPONENT] = _error_schema()
    body = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if method not in {"get", "post", "put", "patch", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, operation):
                response = responses.setdefault(status, {"description": ERROR_STATUSES[status]})
                if not response.get("description"):
                    response["description"] = ERROR_STATUSES[status]
                response.setdefault("content", body)
    return result

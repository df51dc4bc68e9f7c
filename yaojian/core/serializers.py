"""What every app's API serializers share."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from django.utils import translation


class FieldsBuiltOnce:
    """A ``ModelSerializer`` whose fields are built from the model once per class and language.

    DRF's ``ModelSerializer.get_fields`` reads the model's meta and maps every model field to a
    serializer field on each instantiation: for a list of 25 entities with their licences, some
    13 % of the request's CPU (three serializers per request). The fields it builds depend only
    on the class (and, for their labels, the active language), so they are built once and each
    instance gets a deep copy, as DRF itself does with declared fields. Only for serializers
    whose ``get_fields`` does not depend on the instance (its context, its initial data).
    """

    _built_fields: ClassVar[dict[tuple[type, str], dict[str, Any]]] = {}

    def get_fields(self) -> dict[str, Any]:
        key = (type(self), translation.get_language() or "")
        built = FieldsBuiltOnce._built_fields.get(key)
        if built is None:
            built = super().get_fields()  # type: ignore[misc]
            FieldsBuiltOnce._built_fields[key] = built
        return copy.deepcopy(built)

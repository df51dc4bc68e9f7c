"""Events to JSON and back, exactly: a frozen dataclass becomes its fields, with tagged
values where JSON has no type (UUID, Decimal, date, datetime, tuple, nested dataclass).

``encode(event)`` → a JSON-compatible dict; ``decode(event_type, data)`` → an equal event.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.utils.module_loading import import_string

from yaojian.core.events import check_event, event_type_name

TAG = "$"


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        check_event(value)
        return {
            f"{TAG}dataclass": event_type_name(type(value)),
            "fields": {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    if isinstance(value, UUID):
        return {f"{TAG}uuid": str(value)}
    if isinstance(value, Decimal):
        return {f"{TAG}decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {f"{TAG}datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {f"{TAG}date": value.isoformat()}
    if isinstance(value, tuple):
        return {f"{TAG}tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("event dicts need string keys")
        encoded = {k: _encode(v) for k, v in value.items()}
        if any(k.startswith(TAG) for k in value):
            return {f"{TAG}dict": encoded}
        return encoded
    raise TypeError(f"an event cannot carry a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, inner),) = value.items()
        if key == f"{TAG}uuid":
            return UUID(inner)
        if key == f"{TAG}decimal":
            return Decimal(inner)
        if key == f"{TAG}datetime":
            return dt.datetime.fromisoformat(inner)
        if key == f"{TAG}date":
            return dt.date.fromisoformat(inner)
        if key == f"{TAG}tuple":
            return tuple(_decode(v) for v in inner)
        if key == f"{TAG}dict":
            return {k: _decode(v) for k, v in inner.items()}
    if set(value) == {f"{TAG}dataclass", "fields"}:
        return decode(value[f"{TAG}dataclass"], value["fields"])
    return {k: _decode(v) for k, v in value.items()}


def encode(event: Any) -> dict[str, Any]:
    """The fields of ``event`` as JSON-compatible values (raises TypeError for others)."""
    check_event(event)
    return {f.name: _encode(getattr(event, f.name)) for f in dataclasses.fields(event)}


def event_class(event_type: str) -> type:
    """The event class at ``event_type`` (ImportError if it is gone)."""
    cls = import_string(event_type)
    if not isinstance(cls, type) or not dataclasses.is_dataclass(cls):
        raise ImportError(f"{event_type} is not an event class")
    return cls


def decode(event_type: str, data: dict[str, Any]) -> Any:
    """The event of class ``event_type`` with the fields ``data`` (as :func:`encode` wrote)."""
    cls = event_class(event_type)
    return cls(**{k: _decode(v) for k, v in data.items()})

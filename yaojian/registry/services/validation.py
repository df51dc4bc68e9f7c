"""Validation shared by the registry's services: errors per field, text, regions, departments.

Every service collects its problems in one :class:`FieldErrors` and raises them together,
so a form shows all of them at once, each under its own field and in the user's language.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import has_permission, has_permission_in_region, scope_for
from yaojian.territory.codes import normalise_region_code
from yaojian.territory.models import Region

# Control, format (bidi overrides, zero-width) and surrogate characters, and the Unicode
# line/paragraph separators: invisible or layout-breaking, never part of a real name.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_MULTILINE_ALLOWED = frozenset("\n\r\t")


class FieldErrors:
    """Collects ``ValidationError``s per field; raises them all at once."""

    def __init__(self, rename: dict[str, str] | None = None) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}
        self.rename = rename or {}

    def add(
        self, field: str, message: Any, code: str, params: dict[str, Any] | None = None
    ) -> None:
        self.add_error(field, ValidationError(message, code=code, params=params))

    def add_error(self, field: str, error: ValidationError) -> None:
        field = self.rename.get(field, field)
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                for item in errors:
                    self.add_error(name, item)
            return
        self.by_field.setdefault(field, []).extend(error.error_list)

    def has(self, field: str) -> bool:
        return self.rename.get(field, field) in self.by_field

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def full_clean(self, instance: models.Model, exclude: set[str] | None = None) -> None:
        """Run the model's own validation, skipping fields that already have errors."""
        skip = set(exclude or ())
        reverse = {new: old for old, new in self.rename.items()}
        skip |= {reverse.get(name, name) for name in self.by_field}
        try:
            instance.full_clean(exclude=skip or None)
        except ValidationError as exc:
            self.add_error("__all__", exc)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def clean_text(errors: FieldErrors, field: str, value: Any, *, multiline: bool = False) -> str:
    """``value`` as stripped text; control and invisible format characters are refused.

    Markup is *not* refused: names are stored as typed and always escaped on display.
    """
    text = "" if value is None else str(value)
    allowed = _MULTILINE_ALLOWED if multiline else frozenset()
    if any(unicodedata.category(ch) in _FORBIDDEN_CATEGORIES and ch not in allowed for ch in text):
        errors.add(
            field,
            _("This text contains control or invisible characters; remove them."),
            "control_characters",
        )
    return text.strip()


def clean_date(errors: FieldErrors, field: str, value: Any, *, required: bool) -> dt.date | None:
    """A ``date`` from a date or an ISO string (``None`` when empty and not required)."""
    if value in (None, ""):
        if required:
            errors.add(field, _("Enter a date."), "required")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.add(
            field,
            _("“%(value)s” is not a date (use YYYY-MM-DD)."),
            "invalid_date",
            {"value": str(value)[:20]},
        )
        return None


def clean_choice(
    errors: FieldErrors, field: str, value: Any, choices: type[models.TextChoices]
) -> str:
    """``value`` if it is one of ``choices``; otherwise an error."""
    text = "" if value is None else str(value)
    if text not in choices.values:
        errors.add(
            field,
            _("“%(value)s” is not one of the available choices."),
            "invalid_choice",
            {"value": text[:40]},
        )
    return text


def resolve_region(errors: FieldErrors, field: str, value: Any) -> Region | None:
    """The current region for a division code; errors for unknown or abolished codes."""
    try:
        code = normalise_region_code(value or "")
    except ValidationError as exc:
        errors.add_error(field, exc)
        return None
    region = Region.objects.filter(code=code).select_related("successor").first()
    if region is None:
        errors.add(
            field,
            _("There is no administrative division with the code %(code)s."),
            "unknown_region",
            {"code": code},
        )
        return None
    if not region.is_current:
        if region.successor is not None:
            errors.add(
                field,
                _(
                    "The administrative division %(code)s (%(name)s) has been abolished; "
                    "use %(successor)s instead."
                ),
                "abolished_region",
                {"code": code, "name": region.name, "successor": str(region.successor)},
            )
        else:
            errors.add(
                field,
                _("The administrative division %(code)s (%(name)s) has been abolished."),
                "abolished_region",
                {"code": code, "name": region.name},
            )
        return None
    return region


def within_jurisdiction(
    errors: FieldErrors, field: str, actor: Any, permission: str, region: Region
) -> bool:
    """True if a membership holding ``permission`` covers ``region``; else an error on ``field``."""
    if has_permission_in_region(actor, permission, region.code):
        return True
    errors.add(
        field,
        _("%(region)s lies outside your jurisdiction."),
        "outside_jurisdiction",
        {"region": region.name},
    )
    return False


def require_permission(actor: Any, permission: str, message: Any) -> None:
    """Raise ``PermissionDenied`` unless one of the actor's roles grants ``permission``."""
    if not has_permission(actor, permission):
        raise PermissionDenied(message)


def departments_acting(actor: Any, permission: str, region_code: str) -> list[int]:
    """Ids of the actor's departments that hold ``permission`` over ``region_code``.

    The most local department (narrowest jurisdiction) comes first.
    """
    members = [
        m for m in scope_for(actor).members_with(permission) if region_code.startswith(m.prefix)
    ]
    members.sort(key=lambda m: (-len(m.prefix), m.department_id))
    ids: list[int] = []
    for member in members:
        if member.department_id not in ids:
            ids.append(member.department_id)
    return ids


def acting_department(
    errors: FieldErrors,
    field: str,
    actor: Any,
    permission: str,
    region_code: str,
    explicit: Department | None,
) -> Department | None:
    """The department the actor acts for: ``explicit`` if it is theirs, else the most local.

    Superusers (the system) may name any department and must name one.
    """
    allowed = departments_acting(actor, permission, region_code)
    if explicit is not None:
        if scope_for(actor).is_superuser or explicit.pk in allowed:
            return explicit
        errors.add(
            field,
            _("You can act only for a department you belong to and that covers this region."),
            "not_your_department",
        )
        return None
    if not allowed:
        errors.add(field, _("Choose the department responsible for this record."), "required")
        return None
    return Department.objects.get(pk=allowed[0])

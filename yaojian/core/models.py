"""Abstract base models shared by every app. No concrete (domain) models live here."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

_LABELS_ATTR = "_yaojian_choice_labels"


def choice_label(field: models.Field[Any, Any], value: Any) -> Any:
    """The label of ``value`` among ``field``'s choices (the value itself when it has none).

    Django's ``get_<field>_display`` rebuilds a dict of every choice on each call, hashing each
    lazy label, which translates it: a list of 25 rows paid some 700 translations for 95 labels.
    Fixed choices (a list, as every ``TextChoices`` field has) are read into a dict once per
    field; callable choices are read each time, as Django does.
    """
    labels = field.__dict__.get(_LABELS_ATTR)
    if labels is None:
        labels = {make_hashable(key): label for key, label in field.flatchoices}
        if isinstance(field.choices, list | tuple):
            setattr(field, _LABELS_ATTR, labels)
    try:
        return labels.get(make_hashable(value), value)
    except TypeError:  # an unhashable value that make_hashable cannot convert
        return value


class TimeStampedModel(models.Model):
    """Adds ``created_at`` and ``updated_at``, and a cheaper ``get_<field>_display``."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> str:  # noqa: N802 (Django's name)
        # Field.contribute_to_class binds ``cls._get_FIELD_display``: this override, for every
        # model that inherits this class. Same result as Django's, without the per-call dict.
        return force_str(choice_label(field, getattr(self, field.attname)), strings_only=True)


class PublicIdModel(models.Model):
    """Adds a random ``public_id``: URLs and the API expose it, never the primary key."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class OwnedByDepartment(models.Model):
    """Adds the owning ``department``: every department-scoped model inherits it."""

    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owning department"),
        db_index=True,
    )

    class Meta:
        abstract = True

"""Abstract base models shared by every app. No concrete (domain) models live here."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds ``created_at`` and ``updated_at``."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


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

"""Generated documents: one PDF per row, stored with its SHA-256."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import ScopedQuerySet
from yaojian.core.models import OwnedByDepartment, PublicIdModel, TimeStampedModel
from yaojian.documents.choices import DocumentKind


class DocumentQuerySet(ScopedQuerySet["Document"]):
    """Members of the owning department see its documents; other readers are let in by the
    access rules that upper apps register (``documents.access``), checked one by one."""

    scope_region_field = None
    scope_department_field = "department"


def document_upload_to(instance: Document, filename: str) -> str:
    """Files are grouped by year and month; the name is the public id."""
    created = instance.created_at
    stamp = created.strftime("%Y/%m") if created else "undated"
    return f"documents/{stamp}/{instance.public_id}.pdf"


class Document(PublicIdModel, TimeStampedModel, OwnedByDepartment):
    """A generated PDF (立案审批表, 处罚告知书, 决定书, 移送书 …), immutable once stored.

    ``subject`` names what the document belongs to, as ``<app>.<model>:<public id>`` (for
    example ``enforcement.case:…``); the app owning that prefix decides who else may read it.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=255)
    subject = models.CharField(
        _("subject"),
        max_length=128,
        db_index=True,
        help_text=_("What the document belongs to, e.g. enforcement.case:<public id>."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject", "created_at"], name="documents_subject_created_idx")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        """The name offered on download: the title and the kind, no path."""
        return f"{self.title}.pdf"

    def read_bytes(self) -> bytes:
        """The stored PDF."""
        with self.file.open("rb") as handle:
            data: Any = handle.read()
        return bytes(data)

"""Writes of the documents app: render and store a document; audit each read of one.

The enforcement and referrals apps call :func:`render_document`; the layouts and the context
keys of each kind are listed in :mod:`yaojian.documents.layouts` and docs/domain/documents.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import record
from yaojian.documents.choices import DocumentKind
from yaojian.documents.models import Document
from yaojian.documents.rendering import render_pdf

SUBJECT_MAX = 128
TITLE_MAX = 255


def _check_member(actor: Any, department: Department) -> None:
    scope = scope_for(actor)
    if scope.is_superuser or department.pk in scope.department_ids:
        return
    raise PermissionDenied(
        _("Only members of %(department)s may issue its documents.") % {"department": department}
    )


def _validate(kind: str, title: str, subject: str) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [_("%(kind)s is not a kind of document.") % {"kind": kind}]
    if not title.strip():
        errors["title"] = [_("A document needs a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("The title may have at most 255 characters.")]
    if ":" not in subject or len(subject) > SUBJECT_MAX:
        errors["subject"] = [
            _("The subject must look like <app>.<model>:<public id> (at most 128 characters).")
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def render_document(
    *,
    actor: Any,
    kind: str,
    context: Mapping[str, Any],
    department: Department,
    subject: str,
    title: str,
) -> Document:
    """Render ``kind`` as a PDF from ``context``, store it with its SHA-256, audit it.

    ``actor`` must be a member of ``department`` (the issuing department, which owns the
    document). ``subject`` names what it belongs to (``enforcement.case:<public id>``).
    Missing context keys print blank lines; an unknown kind, an empty title or a malformed
    subject raise ``ValidationError`` and nothing is stored. ``FontNotFoundError`` when no
    CJK font is installed (scripts/install-fonts.sh).
    """
    _check_member(actor, department)
    _validate(kind, title, subject)
    now = timezone.now()
    content = render_pdf(kind, context, created_at=now)
    document = Document(
        kind=kind,
        title=title.strip(),
        subject=subject,
        department=department,
        created_by=actor if getattr(actor, "pk", None) else None,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    document.created_at = now
    document.file.save(f"{document.public_id}.pdf", ContentFile(content), save=False)
    try:
        document.save()
        record(
            actor=actor,
            action="documents.document_created",
            obj=document,
            department=department,
            changes={
                "kind": kind,
                "subject": subject,
                "sha256": document.sha256,
                "size": document.size,
            },
        )
    except Exception:
        # Nothing half-written: no row without a file, no file without a row. (A rollback of
        # the caller's transaction after this returns leaves an unreferenced file, harmless.)
        document.file.storage.delete(str(document.file.name))
        raise
    return document


@transaction.atomic
def record_document_read(*, actor: Any, document: Document, purpose: str = "download") -> None:
    """Audit that ``actor`` read ``document`` (every download is a sensitive read)."""
    record(
        actor=actor,
        action="documents.document_downloaded",
        obj=document,
        changes={"sha256": document.sha256, "purpose": purpose},
    )

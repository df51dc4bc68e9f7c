"""Reads of documents: the owning department's members, plus whom the access rules let in."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.db.models import QuerySet

from yaojian.documents.access import allowed_by_rules
from yaojian.documents.models import Document


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def documents_visible_to(user: Any) -> QuerySet[Document]:
    """Documents owned by the user's departments, newest first."""
    return (
        Document.objects.visible_to(user)
        .select_related("department", "created_by")
        .order_by("-created_at", "-id")
    )


def can_read_document(user: Any, document: Document) -> bool:
    """True for members of the owning department and for whom an access rule lets in."""
    if Document.objects.visible_to(user).filter(pk=document.pk).exists():
        return True
    return bool(getattr(user, "is_authenticated", False)) and allowed_by_rules(user, document)


def get_document_for_user(user: Any, public_id: Any) -> Document:
    """The document if ``user`` may read it; ``Document.DoesNotExist`` for missing and
    forbidden alike."""
    key = _uuid(public_id)
    if key is None:
        raise Document.DoesNotExist
    document = Document.objects.select_related("department", "created_by").get(public_id=key)
    if not can_read_document(user, document):
        raise Document.DoesNotExist
    return document


def documents_for_subject(user: Any, subject: str) -> list[Document]:
    """The documents of one subject that ``user`` may read, oldest first."""
    rows = Document.objects.filter(subject=subject).select_related("department")
    return [doc for doc in rows.order_by("created_at", "id") if can_read_document(user, doc)]


def subject_documents(subject: str) -> QuerySet[Document]:
    """All documents of ``subject``, unscoped: only for services that already checked that
    their actor may see the subject (e.g. building a referral's evidence bundle)."""
    return Document.objects.filter(subject=subject).order_by("created_at", "id")


def stored_sha256(document: Document) -> str:
    """SHA-256 of the file as stored now (compare with ``document.sha256``)."""
    return hashlib.sha256(document.read_bytes()).hexdigest()

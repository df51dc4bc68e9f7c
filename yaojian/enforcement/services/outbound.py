"""What leaves the case: generated PDF documents (documents app) and webhook deliveries."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

from yaojian.enforcement.models import Case, CaseDocument

logger = logging.getLogger(__name__)

# Rendering a PDF embeds a CJK font and takes about a second. Bulk writers that do not need the
# documents (the demo seeder, tests that are not about documents) switch it off for a block.
_render_documents: ContextVar[bool] = ContextVar("enforcement_render_documents", default=True)


@contextmanager
def documents_skipped() -> Iterator[None]:
    """Within the block the steps do not render their PDF documents (nothing is listed)."""
    token = _render_documents.set(False)
    try:
        yield
    finally:
        _render_documents.reset(token)


def rendering_documents() -> bool:
    """False inside :func:`documents_skipped` or with ``ENFORCEMENT_RENDER_DOCUMENTS = False``."""
    return _render_documents.get() and bool(getattr(settings, "ENFORCEMENT_RENDER_DOCUMENTS", True))


def generate_document(
    *, actor: Any, case: Case, kind: str, title: str, context: dict[str, Any], shared: bool = False
) -> CaseDocument | None:
    """Render a PDF through the documents app and list it on the case (with its SHA-256).

    ``None`` (nothing rendered) inside :func:`documents_skipped`.
    """
    if not rendering_documents():
        return None
    from yaojian.documents.services import render_document

    document = render_document(
        actor=actor,
        kind=kind,
        context=context,
        department=case.department,
        subject=f"enforcement.case:{case.public_id}",
        title=title,
    )
    return CaseDocument.objects.create(
        case=case,
        kind=kind,
        title=title,
        document_public_id=document.public_id,
        sha256=document.sha256,
        shared=shared,
        department=case.department,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def emit_webhook(event_type: str, case: Case, payload: dict[str, Any], key: str) -> None:
    """Queue webhook deliveries to the lead and participating departments (in the transaction)."""
    from yaojian.webhooks.services import emit

    department_ids = [
        case.department_id,
        *case.participants.values_list("department_id", flat=True),
    ]
    emit(
        event_type=event_type,
        department_ids=department_ids,
        payload={"case": str(case.public_id), "number": case.number, **payload},
        idempotency_key=key,
    )

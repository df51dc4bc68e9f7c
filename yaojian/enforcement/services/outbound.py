"""What leaves the case: generated PDF documents (documents app) and webhook deliveries."""

from __future__ import annotations

import logging
from typing import Any

from yaojian.enforcement.models import Case, CaseDocument

logger = logging.getLogger(__name__)


def generate_document(
    *, actor: Any, case: Case, kind: str, title: str, context: dict[str, Any], shared: bool = False
) -> CaseDocument:
    """Render a PDF through the documents app and list it on the case (with its SHA-256)."""
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

"""The evidence bundle of a referral: letter, case documents, evidence files, audit extract."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yaojian.audit.models import AuditEvent
from yaojian.audit.services import record
from yaojian.documents.bundles import audit_extract, build_bundle
from yaojian.documents.selectors import subject_documents
from yaojian.enforcement.models import CaseDocument, EvidenceItem
from yaojian.referrals.models import Referral
from yaojian.referrals.selectors import referral_subject

AUDIT_LIMIT = 5000


def _read(field: Any) -> bytes | None:
    if not field:
        return None
    try:
        with field.open("rb") as handle:
            return bytes(handle.read())
    except OSError:
        return None


@transaction.atomic
def export_bundle(*, actor: Any, referral: Referral) -> bytes:
    """The zip for ``referral`` (the caller checked that ``actor`` may see it); audited.

    Files: ``letter/`` the referral's documents (the transfer letter), ``documents/`` the
    case's generated documents and attachments, ``evidence/`` the evidence files. The audit
    extract holds every event about the case, the referral and those documents.
    """
    case = referral.case
    files: list[tuple[str, bytes]] = []
    object_ids = {str(case.public_id), str(referral.public_id)}
    for doc in subject_documents(referral_subject(referral)):
        files.append((f"letter/{doc.public_id}.pdf", doc.read_bytes()))
        object_ids.add(str(doc.public_id))
    generated = {
        str(d.public_id): d for d in subject_documents(f"enforcement.case:{case.public_id}")
    }
    for item in CaseDocument.objects.filter(case=case).order_by("created_at", "id"):
        object_ids.add(str(item.public_id))
        content = _read(item.file)
        key = str(item.document_public_id) if item.document_public_id else ""
        if content is None and key in generated:
            content = generated.pop(key).read_bytes()
            object_ids.add(key)
        if content is not None:
            files.append((f"documents/{item.public_id}-{_name(item.file, 'pdf')}", content))
    for doc in generated.values():  # generated for the case but not listed on it
        files.append((f"documents/{doc.public_id}.pdf", doc.read_bytes()))
        object_ids.add(str(doc.public_id))
    for evidence in EvidenceItem.objects.filter(case=case).order_by("collected_on", "id"):
        object_ids.add(str(evidence.public_id))
        content = _read(evidence.file)
        if content is not None:
            files.append((f"evidence/{evidence.public_id}-{_name(evidence.file, 'bin')}", content))
    events = AuditEvent.objects.filter(Q(object_id__in=sorted(object_ids))).order_by("id")[
        :AUDIT_LIMIT
    ]
    meta = {
        "referral": str(referral.public_id),
        "case": str(case.public_id),
        "case_number": case.number,
        "department": referral.department.name,
        "police_department": referral.police_department.name if referral.police_department else "",
        "suspected_crime": referral.suspected_crime,
        "state": referral.state,
        "exported_at": timezone.now().isoformat(),
        "exported_by": str(actor),
    }
    bundle = build_bundle(files, meta, audit_extract(events))
    record(
        actor=actor,
        action="referrals.bundle_exported",
        obj=referral,
        changes={"files": len(files), "size": len(bundle)},
    )
    return bundle


def _name(field: Any, default_ext: str) -> str:
    name = str(getattr(field, "name", "") or "")
    base = name.rsplit("/", 1)[-1]
    return base or f"file.{default_ext}"

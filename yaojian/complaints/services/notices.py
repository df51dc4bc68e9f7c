"""The complainant's written notice of acceptance or refusal: rendered as a PDF (documents'
renderer) when the complaint is accepted or refused, stored with its SHA-256, audited. The
rendering (about a second: a CJK font is embedded) runs inside the step's transaction but
outside the audit chain's lock, which is taken only at COMMIT (ADR 0011)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from yaojian.audit.services import record
from yaojian.complaints import conf
from yaojian.complaints.choices import NoticeKind, RefusalGround, Topic
from yaojian.complaints.models import Complaint, ComplaintNotice
from yaojian.complaints.notices import LAYOUTS


def rendering_notices() -> bool:
    """Follows the platform's switch for generated documents (off in bulk seeding and in tests
    that are not about documents)."""
    from yaojian.enforcement.services.outbound import rendering_documents

    return rendering_documents()


def _context(complaint: Complaint, kind: str) -> dict[str, Any]:
    with translation.override(settings.LANGUAGE_CODE):
        topic = str(Topic(complaint.topic).label) if complaint.topic in Topic.values else ""
        ground = (
            str(RefusalGround(complaint.refusal_ground).label)
            if complaint.refusal_ground in RefusalGround.values
            else ""
        )
    return {
        "number": complaint.number,
        "addressee": f"投诉人（投诉编号 {complaint.number}）",
        "complaint_number": complaint.number,
        "department_name": complaint.department.name,
        "subject_name": complaint.subject_name,
        "topic": topic,
        "received_on": complaint.received_on,
        "decided_on": complaint.decided_on,
        "mediation_days": str(conf.days("mediation_days")),
        "notify_days": str(conf.days("notify_parties_days")),
        "ground": ground if kind == NoticeKind.REFUSAL else "",
        "reasons": complaint.reasons if kind == NoticeKind.REFUSAL else "",
    }


def issue_notice(*, actor: Any, complaint: Complaint, kind: str) -> ComplaintNotice | None:
    """Render and store the notice of ``kind`` (once per complaint and kind); ``None`` when
    documents are switched off. Called by the accept and refuse steps in their transaction."""
    if not rendering_notices():
        return None
    existing = ComplaintNotice.objects.filter(complaint=complaint, kind=kind).first()
    if existing is not None:
        return existing
    from yaojian.documents.rendering import render_layout

    layout = LAYOUTS[kind]
    now = timezone.now()
    content = render_layout(layout, _context(complaint, kind), created_at=now).content
    notice = ComplaintNotice.objects.create(
        complaint=complaint,
        kind=kind,
        title=f"{layout.title} {complaint.number}",
        created_at=now,
        created_by=actor if getattr(actor, "pk", None) else None,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
    )
    record(
        actor=actor,
        action="complaints.notice_issued",
        obj=complaint,
        department=complaint.department,
        changes={"kind": kind, "sha256": notice.sha256, "size": notice.size},
    )
    return notice


def record_notice_read(*, actor: Any, notice: ComplaintNotice, by_complainant: bool) -> None:
    """Audit a download (a staff member, or the complainant with the query code)."""
    record(
        actor=actor,
        action="complaints.notice_downloaded",
        obj=notice.complaint,
        department=notice.complaint.department,
        changes={"kind": notice.kind, "sha256": notice.sha256, "complainant": by_complainant},
    )

"""Download of a stored document (access checked, every download audited)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from yaojian.documents import selectors, services


@require_GET
def document_download(request: HttpRequest, public_id: str) -> HttpResponse:
    """The PDF, for the owning department's members and whom the access rules let in."""
    document = selectors.get_document_for_user(request.user, public_id)
    content = document.read_bytes()
    services.record_document_read(actor=request.user, document=document)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = _disposition(document.filename)
    response["X-Content-SHA256"] = document.sha256
    response["Cache-Control"] = "private, no-store"
    return response


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"document.pdf\"; filename*=UTF-8''{quote(filename)}"

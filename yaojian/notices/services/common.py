"""Helpers shared by the notices services: attachments, webhooks, the acting department."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from yaojian.notices.models import Attachment, Notice, Problem
from yaojian.registry.services.validation import FieldErrors
from yaojian.webhooks.services import emit

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS = 10


def max_attachment_bytes() -> int:
    return int(getattr(settings, "NOTICES_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024))


def check_attachments(errors: FieldErrors, field: str, files: Sequence[UploadedFile]) -> None:
    """Refuse too many, empty or too large files (before anything is written)."""
    if len(files) > MAX_ATTACHMENTS:
        errors.add(
            field,
            _("Attach at most %(limit)d files."),
            "too_many_files",
            {"limit": MAX_ATTACHMENTS},
        )
        return
    limit = max_attachment_bytes()
    for upload in files:
        size = upload.size or 0
        if size == 0:
            errors.add(
                field, _("The file “%(name)s” is empty."), "empty_file", {"name": upload.name}
            )
        elif size > limit:
            errors.add(
                field,
                _("The file “%(name)s” is larger than %(limit)d MB."),
                "file_too_large",
                {"name": upload.name, "limit": limit // (1024 * 1024)},
            )


def save_attachments(
    *,
    actor: Any,
    files: Sequence[UploadedFile],
    problem: Problem | None = None,
    notice: Notice | None = None,
) -> list[Attachment]:
    saved = []
    for upload in files:
        name = (upload.name or "file").rsplit("/", 1)[-1][:200]
        attachment = Attachment(
            problem=problem,
            notice=notice,
            name=name,
            size=upload.size or 0,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def user_or_none(actor: Any) -> Any:
    """The actor as a FK value (``None`` for the system)."""
    return actor if getattr(actor, "pk", None) else None


def emit_webhook(
    *, event_type: str, department_ids: Iterable[int], payload: dict[str, Any], key: str
) -> None:
    """Queue webhook deliveries to the departments' endpoints (rows written in this transaction)."""
    emit(
        event_type=event_type,
        department_ids=sorted(set(department_ids)),
        payload=payload,
        idempotency_key=key,
    )

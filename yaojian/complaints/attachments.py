"""Attachments: the type is sniffed from the first bytes, never taken from the name or the
browser's header; only photos (JPEG, PNG, WebP) and PDFs are kept, within the size limit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yaojian.complaints import conf

SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", ".png"),
    (b"%PDF-", 0, "application/pdf", ".pdf"),
    (b"WEBP", 8, "image/webp", ".webp"),
)


@dataclass(frozen=True)
class CleanFile:
    filename: str
    content_type: str
    size: int
    sha256: str
    content: bytes


def sniff(head: bytes) -> tuple[str, str] | None:
    """``(content type, extension)`` of a supported file from its first bytes, else None."""
    for magic, offset, content_type, ext in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            if content_type == "image/webp" and not head.startswith(b"RIFF"):
                continue
            return content_type, ext
    return None


def _safe_name(name: str, ext: str) -> str:
    stem = "".join(ch for ch in (name or "").rsplit(".", 1)[0] if ch.isalnum() or ch in "-_ ")
    return (stem.strip()[:80] or "attachment") + ext


def clean_files(files: list[Any]) -> list[CleanFile]:
    """Read and check uploaded files; ``ValidationError`` on ``attachments`` otherwise."""
    limit = conf.days("max_attachments")
    max_bytes = int(conf.value("max_attachment_bytes"))
    if len(files) > limit:
        raise ValidationError({"attachments": [_("Attach at most %(n)d files.") % {"n": limit}]})
    out: list[CleanFile] = []
    for upload in files:
        size = int(getattr(upload, "size", 0) or 0)
        if size > max_bytes:
            raise ValidationError(
                {
                    "attachments": [
                        _("%(name)s is larger than %(mb)d MB.")
                        % {"name": str(upload.name)[:80], "mb": max_bytes // (1024 * 1024)}
                    ]
                }
            )
        content = upload.read(max_bytes + 1)
        if len(content) > max_bytes:
            raise ValidationError(
                {"attachments": [_("%(name)s is too large.") % {"name": str(upload.name)[:80]}]}
            )
        found = sniff(content[:16])
        if found is None or not content:
            raise ValidationError(
                {
                    "attachments": [
                        _(
                            "%(name)s is not a photo (JPEG, PNG, WebP) or a PDF, whatever its "
                            "name says."
                        )
                        % {"name": str(upload.name)[:80]}
                    ]
                }
            )
        content_type, ext = found
        out.append(
            CleanFile(
                filename=_safe_name(str(upload.name), ext),
                content_type=content_type,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
            )
        )
    return out

"""Evidence bundles: a zip of files with a manifest of their SHA-256s and an audit-chain extract.

Layout of a bundle::

    manifest.json       {"format", "meta", "files": [{name, size, sha256}], "audit": [...]}
    manifest.seal       HMAC-SHA256 of manifest.json under the platform's secret key
    files/<name>        each file, byte for byte

* Every file's size and SHA-256 are in the manifest, so a changed byte in a file fails.
* The manifest is sealed, so a changed byte in the manifest (or the seal) fails.
* Each audit entry carries every field its chain hash covers, its ``prev_hash``, its ``hash``
  and its chain ``version``: :func:`verify_bundle` recomputes each hash (``audit.chain.digest``,
  keyed with the platform's chain key for version 2), which proves the entry is exactly the
  event the chain holds; ``check_chain=True`` also looks each hash up in this platform's
  audit trail.

Anyone can check the files against the manifest with ``sha256sum``; the seal needs the
platform (``manage.py verify_bundle PATH``).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import zipfile
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from yaojian.audit.chain import LEGACY, digest, key_for

FORMAT = "yaojian-evidence-bundle/1"
MANIFEST = "manifest.json"
SEAL = "manifest.seal"
FILES_DIR = "files/"
_SALT = "yaojian.documents.bundles"
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # zip entry times: bundles of the same input are identical


def _seal(manifest: bytes) -> str:
    return salted_hmac(_SALT, manifest, algorithm="sha256").hexdigest()


def _safe_name(name: str) -> str:
    cleaned = name.replace("\\", "/").strip("/")
    parts = [p for p in cleaned.split("/") if p not in ("", ".", "..")]
    if not parts:
        raise ValueError("a bundle file needs a name")
    return "/".join(parts)


def audit_extract(events: Iterable[Any]) -> list[dict[str, Any]]:
    """The entries of an audit extract: every field the chain hash covers, and the hashes."""
    return [
        {
            "id": event.pk,
            "occurred_at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": event.actor_id,
            "actor_label": event.actor_label,
            "department_id": event.department_id,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "object_repr": event.object_repr,
            "changes": event.changes,
            "reason": event.reason,
            "request_id": event.request_id,
            "ip_address": event.ip_address,
            "prev_hash": event.prev_hash,
            "hash": event.hash,
            "version": event.version,
        }
        for event in events
    ]


def build_bundle(
    files: list[tuple[str, bytes]],
    manifest_meta: dict[str, Any],
    audit_extract: list[dict[str, Any]],
) -> bytes:
    """The zip (bytes) of ``files`` with a sealed manifest; ``ValueError`` on duplicate names."""
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name, content in files:
        safe = _safe_name(name)
        if safe in seen:
            raise ValueError(f"two bundle files are named {safe!r}")
        seen.add(safe)
        entries.append(
            {"name": safe, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        )
    manifest = json.dumps(
        {"format": FORMAT, "meta": manifest_meta, "files": entries, "audit": audit_extract},
        ensure_ascii=False,
        sort_keys=True,
        indent=2,
        default=str,
    ).encode("utf-8")
    buffer = io.BytesIO()
    # Stored, not deflated: every byte of the archive's data is a byte of a member, so any
    # change to it is a change to a member (PDFs and photos are compressed already).
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(zipfile.ZipInfo(MANIFEST, _FIXED_TIME), manifest)
        archive.writestr(zipfile.ZipInfo(SEAL, _FIXED_TIME), _seal(manifest))
        for entry, (_name, content) in zip(entries, files, strict=True):
            archive.writestr(zipfile.ZipInfo(FILES_DIR + entry["name"], _FIXED_TIME), content)
    return buffer.getvalue()


def verify_bundle(path: str | Path, *, check_chain: bool = False) -> list[str]:
    """The problems found in the bundle at ``path`` (empty: valid)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _verify(archive, check_chain=check_chain)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        return [_("The file is not a readable zip archive: %(error)s") % {"error": exc}]


def _read(archive: zipfile.ZipFile, name: str, problems: list[str]) -> bytes | None:
    try:
        return archive.read(name)
    except KeyError:
        problems.append(_("The bundle has no %(name)s.") % {"name": name})
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:  # CRC errors
        problems.append(_("%(name)s cannot be read: %(error)s") % {"name": name, "error": exc})
    return None


def _verify(archive: zipfile.ZipFile, *, check_chain: bool) -> list[str]:
    problems: list[str] = []
    manifest_bytes = _read(archive, MANIFEST, problems)
    seal = _read(archive, SEAL, problems)
    if manifest_bytes is None:
        return problems
    if seal is not None and not hmac.compare_digest(
        seal.decode("ascii", "replace").strip(), _seal(manifest_bytes)
    ):
        problems.append(_("The manifest does not match its seal: it was changed."))
    try:
        manifest = json.loads(manifest_bytes)
        files = list(manifest["files"])
        audit = list(manifest.get("audit", []))
    except (ValueError, KeyError, TypeError):
        problems.append(_("The manifest is not valid JSON of an evidence bundle."))
        return problems
    listed = set()
    for entry in files:
        name = FILES_DIR + str(entry.get("name", ""))
        listed.add(name)
        content = _read(archive, name, problems)
        if content is None:
            continue
        if len(content) != entry.get("size") or (
            hashlib.sha256(content).hexdigest() != entry.get("sha256")
        ):
            problems.append(
                _("%(name)s does not match its SHA-256 in the manifest.") % {"name": name}
            )
    for name in archive.namelist():
        if name not in listed and name not in (MANIFEST, SEAL):
            problems.append(_("%(name)s is not listed in the manifest.") % {"name": name})
    problems.extend(_verify_audit(audit, check_chain=check_chain))
    return problems


def _verify_audit(entries: list[Any], *, check_chain: bool) -> list[str]:
    problems: list[str] = []
    for entry in entries:
        try:
            expected = digest(
                prev_hash=entry["prev_hash"],
                occurred_at=datetime.fromisoformat(entry["occurred_at"]),
                actor_id=entry["actor_id"],
                actor_label=entry["actor_label"],
                department_id=entry["department_id"],
                action=entry["action"],
                object_type=entry["object_type"],
                object_id=entry["object_id"],
                object_repr=entry["object_repr"],
                changes=entry["changes"],
                reason=entry["reason"],
                request_id=entry["request_id"],
                ip_address=entry["ip_address"],
                key=key_for(int(entry.get("version", LEGACY))),  # bundles before ADR 0011: 1
            )
        except (KeyError, TypeError, ValueError):
            problems.append(_("An audit entry of the extract is incomplete."))
            continue
        if expected != entry.get("hash"):
            problems.append(
                _("Audit entry %(id)s does not match its chain hash.") % {"id": entry.get("id")}
            )
    if check_chain and entries:
        from yaojian.audit.models import AuditEvent

        hashes = {str(e.get("hash")) for e in entries}
        known = set(AuditEvent.objects.filter(hash__in=hashes).values_list("hash", flat=True))
        for entry in entries:
            if entry.get("hash") not in known:
                problems.append(
                    _("Audit entry %(id)s is not in this platform's audit chain.")
                    % {"id": entry.get("id")}
                )
    return problems

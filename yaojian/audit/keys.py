"""The audit chain's key: kept outside the database, so rows cannot be re-hashed from it.

``settings.AUDIT_CHAIN_KEY`` (environment variable ``AUDIT_CHAIN_KEY``) when set; otherwise the
file ``settings.AUDIT_CHAIN_KEY_FILE`` (default ``var/audit_chain_key``), generated on first use
with mode 0600. A file readable by group or others is refused. See ADR 0011.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIN_KEY_LENGTH = 32
_cache: dict[tuple[str, str], bytes] = {}


def key_file() -> Path:
    """Where the key file is (whether or not it exists yet)."""
    configured = getattr(settings, "AUDIT_CHAIN_KEY_FILE", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "audit_chain_key"


def chain_key() -> bytes:
    """The HMAC key of the chain (read once per process and source)."""
    configured = str(getattr(settings, "AUDIT_CHAIN_KEY", "") or "")
    path = key_file()
    cache_key = (configured, str(path))
    if cache_key not in _cache:
        _cache[cache_key] = _from_setting(configured) if configured else _from_file(path)
    return _cache[cache_key]


def checkpoint_key() -> bytes:
    """The key that signs checkpoints, derived from the chain key (a separate purpose)."""
    return hmac.new(chain_key(), b"yaojian.audit.checkpoint", hashlib.sha256).digest()


def _from_setting(value: str) -> bytes:
    if len(value) < MIN_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"AUDIT_CHAIN_KEY must have at least {MIN_KEY_LENGTH} characters."
        )
    return value.encode("utf-8")


def _from_file(path: Path) -> bytes:
    if not path.exists():
        _create(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ImproperlyConfigured(
            f"The audit chain key {path} is readable by others (mode {mode:o}); "
            f"run: chmod 600 {path}"
        )
    value = path.read_text(encoding="ascii").strip()
    if len(value) < MIN_KEY_LENGTH:
        raise ImproperlyConfigured(f"The audit chain key {path} is shorter than {MIN_KEY_LENGTH}.")
    return value.encode("ascii")


def _create(path: Path) -> None:
    """Write a new random key with mode 0600; a key another process wrote first wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process wrote it first: theirs
            os.link(temporary, path)  # atomic: never a half-written key under the real name
    finally:
        temporary.unlink(missing_ok=True)


def forget_keys() -> None:
    """Drop the cached keys (tests that change the settings)."""
    _cache.clear()

"""The demo password: given, from ``DEMO_PASSWORD``, or generated once into ``var/``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings

ENV_VARIABLE = "DEMO_PASSWORD"
FILE_NAME = "demo_password"


def password_file() -> Path:
    """Where a generated demo password is kept (mode 0600)."""
    return Path(settings.VAR_DIR) / FILE_NAME


def stored_demo_password() -> str | None:
    """The demo password from the environment or ``var/demo_password``, if there is one."""
    if value := os.environ.get(ENV_VARIABLE):
        return value
    path = password_file()
    if path.exists():
        return path.read_text(encoding="utf-8").strip() or None
    return None


def demo_password(explicit: str | None = None) -> str:
    """``explicit``, else ``DEMO_PASSWORD``, else the stored one, else a new one stored once."""
    if explicit:
        return explicit
    if stored := stored_demo_password():
        return stored
    password = f"Yj-{secrets.token_urlsafe(12)}"
    path = password_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    return password

"""Signatures of outbound webhooks: HMAC-SHA256 of ``"<timestamp>.<body>"``.

A receiver recomputes the signature with its copy of the secret and compares it in constant
time (see docs/domain/webhooks.md for a snippet), and rejects old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret() -> str:
    """A fresh signing secret (256 bits, URL-safe)."""
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Yaojian-Signature`` header value: ``sha256=<hex>``."""
    message = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """True if ``header`` is the signature of ``body`` sent at ``timestamp``."""
    return hmac.compare_digest(signature(secret, timestamp, body), header)

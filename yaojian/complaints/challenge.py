"""The arithmetic challenge of the public forms (no third-party service, no script needed).

The form carries a signed token holding a random nonce and the answer's hash; the answer is
checked against it, the token expires, and the nonce is stored with the accepted submission
(unique), so one solved challenge submits once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

SALT = "yaojian.complaints.challenge"
MAX_AGE = 2 * 60 * 60  # seconds


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _digest(nonce: str, answer: int) -> str:
    return hashlib.sha256(f"{nonce}:{answer}".encode()).hexdigest()[:32]


def new_challenge() -> Challenge:
    a, b = secrets.randbelow(40) + 10, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(12)
    token = signing.dumps({"n": nonce, "h": _digest(nonce, a + b)}, salt=SALT, compress=True)
    return Challenge(question=_("What is %(a)d plus %(b)d?") % {"a": a, "b": b}, token=token)


def check(token: str, answer: str) -> str | None:
    """The nonce when ``answer`` solves ``token`` (unexpired), else None."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
        value = int(str(answer).strip())
    except (signing.BadSignature, ValueError, TypeError):
        return None
    nonce = str(data.get("n", ""))
    if not nonce or data.get("h") != _digest(nonce, value):
        return None
    return nonce

"""Rate limits of the public pages, kept in the database (``ThrottleHit``) so every worker
shares them. Keys are keyed hashes of the address or the contact, never the values."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from django.conf import settings
from django.utils import timezone

from yaojian.complaints.models import ThrottleHit


def fingerprint(kind: str, value: str) -> str:
    """A keyed hash of a normalised address or contact ("" for an empty value)."""
    text = re.sub(r"[\s\-()（）]", "", (value or "")).lower()
    if not text:
        return ""
    key = hashlib.sha256(f"{settings.SECRET_KEY}:complaints:{kind}".encode()).digest()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def count(scope: str, key: str, window: dt.timedelta) -> int:
    if not key:
        return 0
    since = timezone.now() - window
    return ThrottleHit.objects.filter(scope=scope, key=key, at__gte=since).count()


def hit(scope: str, key: str) -> None:
    if key:
        ThrottleHit.objects.create(scope=scope, key=key, at=timezone.now())


def purge(older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Drop hits older than every window (run by the periodic task)."""
    deleted, _rows = ThrottleHit.objects.filter(at__lt=timezone.now() - older_than).delete()
    return deleted

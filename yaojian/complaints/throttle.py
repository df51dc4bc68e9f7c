"""Rate limits of the public pages, kept in the database so every worker shares them: the
submissions are counted from ``Complaint`` itself (``address_hash``/``contact_hash``), failed
tracking look-ups in ``ThrottleHit``. Keys are keyed hashes of the address or the contact,
never the values."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from yaojian.complaints.models import Complaint, ThrottleHit


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


def submissions(
    *,
    address_hash: str,
    contact_hash: str,
    address_window: dt.timedelta,
    contact_window: dt.timedelta,
) -> tuple[int, int]:
    """(submissions from the address within ``address_window``, submissions with the contact
    within ``contact_window``), in one query; 0 for an empty key."""
    now = timezone.now()
    windows = {
        "address": Q(address_hash=address_hash, received_at__gte=now - address_window),
        "contact": Q(contact_hash=contact_hash, received_at__gte=now - contact_window),
    }
    keys = {"address": address_hash, "contact": contact_hash}
    wanted = {name: q for name, q in windows.items() if keys[name]}
    if not wanted:
        return 0, 0
    either = Q()
    for q in wanted.values():
        either |= q
    counts = Complaint.objects.filter(either).aggregate(
        **{name: Count("pk", filter=q) for name, q in wanted.items()}
    )
    return int(counts.get("address") or 0), int(counts.get("contact") or 0)


def hit(scope: str, key: str) -> None:
    if key:
        ThrottleHit.objects.create(scope=scope, key=key, at=timezone.now())


def purge(older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Drop hits older than every window (run by the periodic task)."""
    deleted, _rows = ThrottleHit.objects.filter(at__lt=timezone.now() - older_than).delete()
    return deleted

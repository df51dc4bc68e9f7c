"""Event type names other apps pass to :func:`yaojian.webhooks.services.emit`.

Names are dotted ``<subject>.<past tense>``. Any well-formed name may be emitted; the ones
below are offered in the endpoint form.
"""

from __future__ import annotations

import re

EVENT_TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
ALL_EVENTS = "*"

KNOWN_EVENT_TYPES: tuple[str, ...] = (
    "notice.created",
    "notice.answered",
    "case.filed",
    "case.decided",
    "licence.revoked",
    "referral.made",
    "import.completed",
    "webhook.test",
    "audit.checkpoint",
)


def is_valid_event_type(name: str) -> bool:
    return name == ALL_EVENTS or bool(EVENT_TYPE_PATTERN.match(name))

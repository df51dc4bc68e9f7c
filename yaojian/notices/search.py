"""Global search provider of notices: by subject or by the notice's number (its public id),
through the notices the user's departments sent or received (ADR 0015)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yaojian.core import search
from yaojian.notices import selectors

MIN_FRAGMENT = 2


def notice_hits(user: Any, q: str, limit: int) -> list[search.Hit]:
    """Notices the user sees whose subject contains ``q`` or whose number is ``q``."""
    try:
        key: uuid.UUID | None = uuid.UUID(q)
    except ValueError:
        key = None
    if key is None and len(q) < MIN_FRAGMENT:
        return []
    condition = Q(public_id=key) if key is not None else Q(subject__icontains=q)
    rows = selectors.notices_visible_to(user).filter(condition).order_by("-created_at")[:limit]
    return [
        search.Hit(
            title=notice.subject,
            url=reverse("notices:notice_detail", args=[notice.public_id]),
            detail=f"{notice.sender.name} → {notice.recipient.name} · {notice.get_state_display()}",
        )
        for notice in rows
    ]


search.register("notices.notices", _("Notices"), notice_hits, icon="inbox", order=50)

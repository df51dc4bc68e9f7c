"""Global search provider of complaints: by tracking number or respondent, through the
complaints the user's departments handle (never by the reporter)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import has_permission
from yaojian.complaints import selectors
from yaojian.complaints.permissions import VIEW
from yaojian.core import search

MIN_FRAGMENT = 2


def complaint_hits(user: Any, q: str, limit: int) -> list[search.Hit]:
    if len(q) < MIN_FRAGMENT or not has_permission(user, VIEW):
        return []
    rows = selectors.complaint_list(user, q=q)[:limit]
    return [
        search.Hit(
            title=c.number,
            url=reverse("complaints:detail", args=[c.public_id]),
            detail=f"{c.subject_name} · {c.get_state_display()}",
        )
        for c in rows
    ]


search.register(
    "complaints.complaints",
    _("Complaints and reports"),
    complaint_hits,
    icon="message-report",
    order=60,
)

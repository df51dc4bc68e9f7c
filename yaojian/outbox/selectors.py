"""Reads of the outbox: hand-offs of the user's departments (superusers: all)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from yaojian.accounts.scoping import has_permission
from yaojian.outbox.choices import MessageStatus
from yaojian.outbox.models import Message


def can_view_outbox(user: Any) -> bool:
    return has_permission(user, "outbox.view_message")


def can_replay(user: Any) -> bool:
    return has_permission(user, "outbox.replay_message")


def messages_visible_to(user: Any, *, status: str | None = None) -> QuerySet[Message]:
    """Hand-offs the user may see, newest first, optionally of one status."""
    queryset = Message.objects.visible_to(user).select_related("department")
    if status in MessageStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


def status_counts(user: Any) -> dict[str, int]:
    """How many hand-offs the user may see, by status (every status present, 0 if none)."""
    rows = Message.objects.visible_to(user).order_by().values_list("status").annotate(n=Count("id"))
    counts = dict.fromkeys(MessageStatus.values, 0)
    counts.update(dict(rows))
    return counts


def get_message_for_user(user: Any, public_id: Any) -> Message:
    """One hand-off; ``DoesNotExist`` for missing and forbidden alike (→ 404)."""
    return Message.objects.visible_to(user).select_related("department").get(public_id=public_id)

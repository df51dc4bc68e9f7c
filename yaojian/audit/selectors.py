"""Reads of the audit trail: who may see which events, filters, object timelines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from yaojian.accounts.scoping import scope_for
from yaojian.audit.models import AuditEvent

VIEW_PERMISSION = "audit.view_auditevent"


def can_view_audit(user: Any) -> bool:
    """True if ``user`` may read the audit trail at all."""
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.members_with(VIEW_PERMISSION))


def events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """The audit events ``user`` may read.

    Superusers read everything. Department heads, auditors and administrators (the roles
    holding ``audit.view_auditevent``) read the events recorded for the departments in which
    they hold that permission. Everybody else reads nothing.
    """
    scope = scope_for(user)
    if scope.is_superuser:
        return AuditEvent.objects.all()
    departments = sorted({m.department_id for m in scope.members_with(VIEW_PERMISSION)})
    if not departments:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(department_id__in=departments)


def filter_events(
    events: QuerySet[AuditEvent],
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Narrow ``events``: exact action and object type, actor by username or name, and
    an inclusive range of dates in the local time zone."""
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(Q(actor__username=actor) | Q(actor_label__icontains=actor))
    if object_type:
        events = events.filter(object_type=object_type)
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events


def newest_first(events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """``events`` for display: newest first, with actor and department loaded."""
    return events.select_related("actor", "department").order_by("-id")


def distinct_values(events: QuerySet[AuditEvent], field: str) -> list[str]:
    """The distinct non-empty values of ``field`` (``action`` or ``object_type``)."""
    values = events.exclude(**{field: ""}).order_by(field).values_list(field, flat=True)
    return list(values.distinct())


def object_history(*, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """Every event about one object, oldest first.

    Unscoped: for views that have already fetched the object through their own
    ``get_<x>_for_user`` chokepoint. Other callers use :func:`object_history_for_user`.
    """
    return (
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
        .select_related("actor", "department")
        .order_by("id")
    )


def object_history_for_user(user: Any, *, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """The events about one object that ``user`` may read, oldest first."""
    return (
        events_visible_to(user)
        .filter(pk__in=object_history(object_type=object_type, object_id=object_id).values("pk"))
        .select_related("actor", "department")
        .order_by("id")
    )

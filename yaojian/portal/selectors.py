"""Reads of the portal.

Public reads (``published_*``) need no user: only publications that are published and on
display (``display_until`` ≥ today), only typical cases that are published, and only the
masked ``public_*`` fields are meant for display. Staff reads start from ``visible_to``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from yaojian.accounts.scoping import has_permission
from yaojian.clocks.calendar import CalendarNotCoveredError, working_days_between
from yaojian.portal.choices import PublicationStatus
from yaojian.portal.models import Publication, TypicalCase
from yaojian.territory.codes import subtree_q


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


# --- public ---------------------------------------------------------------------------------


def published_penalties(today: dt.date | None = None) -> QuerySet[Publication]:
    """Penalty information before the public today, newest decision first."""
    today = today or timezone.localdate()
    return (
        Publication.objects.filter(status=PublicationStatus.PUBLISHED, display_until__gte=today)
        .select_related("region")
        .order_by("-decided_on", "-id")
    )


def published_penalties_matching(
    *,
    party: str = "",
    credit_code: str = "",
    region: str = "",
    year: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Publication]:
    """The public search: party name fragment (as published, i.e. masked for persons),
    exact credit code, region (and below) and year of decision."""
    rows = published_penalties(today)
    if party.strip():
        rows = rows.filter(public_party_name__icontains=party.strip())
    if credit_code.strip():
        rows = rows.filter(public_credit_code=credit_code.strip().upper())
    if region:
        rows = rows.filter(subtree_q("region", region))
    if year:
        rows = rows.filter(
            decided_on__gte=dt.date(year, 1, 1), decided_on__lte=dt.date(year, 12, 31)
        )
    return rows


def get_published_penalty(public_id: Any, today: dt.date | None = None) -> Publication:
    """One publication on display; ``DoesNotExist`` for any other (→ 404)."""
    key = _uuid(public_id)
    if key is None:
        raise Publication.DoesNotExist
    return published_penalties(today).get(public_id=key)


def published_typical_cases() -> QuerySet[TypicalCase]:
    """Typical cases on the portal, newest first."""
    return (
        TypicalCase.objects.filter(is_published=True)
        .select_related("region")
        .order_by("-published_at", "-id")
    )


def get_published_typical_case(public_id: Any) -> TypicalCase:
    key = _uuid(public_id)
    if key is None:
        raise TypicalCase.DoesNotExist
    return published_typical_cases().select_related("publication").get(public_id=key)


def published_link_of(case: TypicalCase, today: dt.date | None = None) -> Publication | None:
    """The penalty publication a typical case links to, if it is on display."""
    if case.publication_id is None:
        return None
    return published_penalties(today).filter(pk=case.publication_id).first()


# --- staff ----------------------------------------------------------------------------------


def publications_visible_to(user: Any, action: str = "view") -> QuerySet[Publication]:
    return Publication.objects.visible_to(user, action).select_related("region", "department")


def get_publication_for_user(user: Any, public_id: Any, action: str = "view") -> Publication:
    """The publication if ``user`` may ``action`` it; ``DoesNotExist`` otherwise."""
    key = _uuid(public_id)
    if key is None:
        raise Publication.DoesNotExist
    return publications_visible_to(user, action).get(public_id=key)


def working_days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    """Working days from today to ``deadline`` (negative when overdue; None if unknown)."""
    if deadline is None:
        return None
    try:
        return working_days_between(today, deadline)
    except CalendarNotCoveredError:
        return None


@dataclass(frozen=True)
class QueueRow:
    publication: Publication
    deadline: dt.date | None
    days_left: int | None

    @property
    def is_overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


@dataclass(frozen=True)
class ManageQueues:
    """The staff overview's four queues (querysets in their default order: the view sorts and
    pages each) and what the user may do."""

    to_publish: QuerySet[Publication]
    to_withdraw: QuerySet[Publication]
    on_display: QuerySet[Publication]
    ended: QuerySet[Publication]
    can_publish: bool
    can_withdraw: bool
    can_stop: bool
    can_curate: bool


def manage_queues(user: Any) -> ManageQueues:
    """The staff overview: what to publish (deadline first), what to withdraw, what is shown,
    what ended (latest first)."""
    mine = publications_visible_to(user)
    return ManageQueues(
        to_publish=mine.filter(status=PublicationStatus.DRAFT).order_by("publish_by", "id"),
        to_withdraw=mine.filter(
            status=PublicationStatus.PUBLISHED, withdraw_by__isnull=False
        ).order_by("withdraw_by", "id"),
        on_display=mine.filter(
            status=PublicationStatus.PUBLISHED, withdraw_by__isnull=True
        ).order_by("display_until", "id"),
        ended=mine.filter(
            status__in=[
                PublicationStatus.WITHDRAWN,
                PublicationStatus.EXPIRED,
                PublicationStatus.STOPPED,
            ]
        ).order_by("-updated_at", "-id"),
        can_publish=has_permission(user, "portal.publish_publication"),
        can_withdraw=has_permission(user, "portal.withdraw_publication"),
        can_stop=has_permission(user, "portal.stop_publication"),
        can_curate=has_permission(user, "portal.add_typicalcase"),
    )


def queue_rows(
    publications: Iterable[Publication], deadline: str, today: dt.date | None = None
) -> list[QueueRow]:
    """Publications with their ``deadline`` field (``publish_by`` / ``withdraw_by``) and the
    working days left to it."""
    today = today or timezone.localdate()
    rows = []
    for publication in publications:
        due = getattr(publication, deadline)
        rows.append(QueueRow(publication, due, working_days_left(due, today)))
    return rows


def publication_versions(publication: Publication) -> QuerySet[Publication]:
    """Every version of the same decision (same department), oldest first."""
    return Publication.objects.filter(
        decision_public_id=publication.decision_public_id, department=publication.department_id
    ).order_by("version")


def publications_of_entity(user: Any, entity_public_id: Any) -> QuerySet[Publication]:
    """Publications about an entity that ``user`` sees, plus those the public sees."""
    key = _uuid(entity_public_id)
    if key is None:
        return Publication.objects.none()
    today = timezone.localdate()
    visible = Publication.objects.visible_to(user).values("pk")
    return (
        Publication.objects.filter(entity_public_id=key)
        .filter(Q(pk__in=visible) | Q(status=PublicationStatus.PUBLISHED, display_until__gte=today))
        .order_by("-decided_on", "-version")
    )


def typical_cases_visible_to(user: Any, action: str = "view") -> QuerySet[TypicalCase]:
    return (
        TypicalCase.objects.visible_to(user, action)
        .select_related("region", "department", "publication")
        .order_by("-created_at", "-id")
    )


def get_typical_case_for_user(user: Any, public_id: Any, action: str = "view") -> TypicalCase:
    key = _uuid(public_id)
    if key is None:
        raise TypicalCase.DoesNotExist
    return typical_cases_visible_to(user, action).get(public_id=key)

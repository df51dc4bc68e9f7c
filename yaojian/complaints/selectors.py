"""Reads of the complaints app. Staff lists start from ``Complaint.objects.visible_to``; the
public reads (tracking, outcomes) expose only what the reporter or the public may see; the
reporter's identity is read only through :func:`reveal_reporter` (audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import record
from yaojian.complaints import clocks
from yaojian.complaints.choices import OPEN_STATES, Kind, OutcomeKind, RewardState, State
from yaojian.complaints.models import (
    Complaint,
    ComplaintNotice,
    ComplaintStep,
    ReporterIdentity,
    Reward,
)
from yaojian.complaints.permissions import APPROVE, HANDLE, IDENTITY, IDENTITY_ANY
from yaojian.complaints.services.common import acts_in
from yaojian.registry.models import Entity
from yaojian.registry.names import search_key
from yaojian.territory.codes import subtree_q


def complaints_visible_to(user: Any, action: str = "view") -> QuerySet[Complaint]:
    return Complaint.objects.visible_to(user, action).select_related("department", "region")


def complaint_list(
    user: Any, *, kind: str = "", state: str = "", q: str = "", due: str = ""
) -> QuerySet[Complaint]:
    rows = complaints_visible_to(user)
    if kind:
        rows = rows.filter(kind=kind)
    if state == "open":
        rows = rows.filter(state__in=sorted(OPEN_STATES))
    elif state:
        rows = rows.filter(state=state)
    if q:
        rows = rows.filter(Q(number__icontains=q) | Q(subject_name__icontains=q))
    if due == "overdue":
        rows = rows.filter(due_on__lt=timezone.localdate())
    return rows.order_by("due_on", "-received_at") if due else rows


def get_complaint_for_user(user: Any, public_id: Any, action: str = "view") -> Complaint:
    """One complaint the user may ``action``; ``DoesNotExist`` for missing and forbidden."""
    try:
        return complaints_visible_to(user, action).get(public_id=str(public_id))
    except (ValueError, Exception) as exc:
        if isinstance(exc, Complaint.DoesNotExist):
            raise
        raise Complaint.DoesNotExist from exc


def can(user: Any, complaint: Complaint, action: str) -> bool:
    permission = {"handle": HANDLE, "approve": APPROVE, "identity": IDENTITY}[action]
    return acts_in(user, permission, complaint.department_id)


def _holds_in(user: Any, permission: str, department_id: int) -> bool:
    """A membership of ``department_id`` itself grants ``permission`` (no superuser bypass, no
    oversight, no share grant)."""
    return any(m.department_id == department_id for m in scope_for(user).members_with(permission))


def can_see_reporter(user: Any, complaint: Complaint) -> bool:
    """The officer the complaint is assigned to, while a member of the handling department
    holding ``view_reporter``; and the handling department's head (``view_any_reporter``, who
    assigns the officers). Nobody else: not other officers of the department, not overseers,
    not superusers (第33条)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if _holds_in(user, IDENTITY_ANY, complaint.department_id):
        return True
    return (
        complaint.assigned_to_id is not None
        and complaint.assigned_to_id == user.pk
        and _holds_in(user, IDENTITY, complaint.department_id)
    )


def can_assign(user: Any, complaint: Complaint) -> bool:
    """The head of the handling department assigns the handling officer."""
    return getattr(user, "is_authenticated", False) and _holds_in(
        user, IDENTITY_ANY, complaint.department_id
    )


def notices_of(complaint: Complaint) -> QuerySet[ComplaintNotice]:
    """The complainant's notices, without their content."""
    return ComplaintNotice.objects.filter(complaint=complaint).defer("content")


def notice_with_content(pk: int) -> ComplaintNotice:
    return ComplaintNotice.objects.select_related("complaint", "complaint__department").get(pk=pk)


def can_read_notices(user: Any, complaint: Complaint) -> bool:
    """The handling officers of the handling department (and its head)."""
    return can(user, complaint, "handle")


def handling_officers(complaint: Complaint) -> QuerySet[Any]:
    """Active members of the handling department whose role handles complaints (the officers
    a head may assign)."""
    from django.contrib.auth import get_user_model

    from yaojian.accounts.models import Membership
    from yaojian.accounts.roles import role_matrix

    roles = sorted(role for role, perms in role_matrix().items() if HANDLE in perms)
    user_ids = Membership.objects.filter(
        department_id=complaint.department_id, role__in=roles, is_active=True
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username")


def reveal_reporter(user: Any, complaint: Complaint) -> ReporterIdentity | None:
    """The reporter's identity for a handling officer, the view recorded in the audit chain;
    None for anyone else (and nothing recorded)."""
    if not can_see_reporter(user, complaint):
        return None
    identity = ReporterIdentity.objects.filter(complaint=complaint).first()
    record(
        actor=user,
        action="complaints.reporter_viewed",
        obj=complaint,
        department=complaint.department,
        changes={"anonymous": complaint.is_anonymous},
    )
    return identity


def timeline(complaint: Complaint, *, public: bool) -> QuerySet[ComplaintStep]:
    rows = complaint.steps.select_related("actor")
    return rows.filter(is_public=True) if public else rows


def reward_of(complaint: Complaint) -> Reward | None:
    return Reward.objects.filter(complaint=complaint).first()


def search_public_entities(q: str, limit: int = 10) -> list[Entity]:
    """Entity names the public may pick from (businesses, not persons)."""
    key = search_key((q or "").strip()[:50])
    if len(key) < 4:
        return []
    return list(
        Entity.objects.filter(search_key__contains=key)
        .select_related("region")
        .order_by("name")[:limit]
    )


@dataclass(frozen=True)
class RegionFigures:
    region_code: str
    region_name: str
    received: int
    accepted: int
    decided: int
    on_time: int
    outcomes: dict[str, int]

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.decided, 1) if self.decided else None


def _decided_on_time(complaint: Complaint) -> bool | None:
    first = next((c for c in clocks.clocks_of(complaint) if c.key in ("accept", "verify")), None)
    if first is None or first.done_on is None:
        return None
    return first.done_on <= first.due_on


def public_figures(prefix: str = "", since: dt.date | None = None) -> list[RegionFigures]:
    """Per county: received (duplicates not counted), accepted, decided on time, outcomes."""
    rows = Complaint.objects.exclude(state=State.DUPLICATE)
    if prefix:
        rows = rows.filter(subtree_q("region", prefix))
    if since:
        rows = rows.filter(received_on__gte=since)
    data: dict[str, dict[str, Any]] = {}
    for complaint in rows.select_related("region").only(
        "kind",
        "state",
        "region__name",
        "region__code",
        "received_on",
        "decided_on",
        "opening_decided_on",
        "outcome_kind",
        "dispute_raised_on",
        "mediation_started_on",
        "mediation_ended_on",
        "is_anonymous",
        "testing_days",
        "dispute_resolved_on",
        "parties_notified_on",
        "reporter_told_on",
    ):
        entry = data.setdefault(
            complaint.region_id,
            {
                "name": complaint.region.name,
                "received": 0,
                "accepted": 0,
                "decided": 0,
                "on_time": 0,
                "outcomes": {},
            },
        )
        entry["received"] += 1
        if complaint.state in (State.ACCEPTED, State.MEDIATED, State.MEDIATION_ENDED) or (
            complaint.kind == Kind.REPORT
            and complaint.state not in (State.RECEIVED, State.TRANSFERRED)
        ):
            entry["accepted"] += 1
        on_time = _decided_on_time(complaint)
        if on_time is not None:
            entry["decided"] += 1
            entry["on_time"] += int(on_time)
        if complaint.outcome_kind:
            entry["outcomes"][complaint.outcome_kind] = (
                entry["outcomes"].get(complaint.outcome_kind, 0) + 1
            )
    return [
        RegionFigures(
            code, v["name"], v["received"], v["accepted"], v["decided"], v["on_time"], v["outcomes"]
        )
        for code, v in sorted(data.items())
    ]


def published_outcomes(limit: int = 50) -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(publish_outcome=True)
        .select_related("region", "department")
        .only(
            "public_id",
            "number",
            "kind",
            "topic",
            "region__name",
            "department__name",
            "public_summary",
            "published_at",
            "outcome_kind",
        )
        .order_by("-published_at")[:limit]
    )


def counts_by_state(user: Any) -> dict[str, int]:
    return dict(complaints_visible_to(user).values_list("state").annotate(n=Count("id")).order_by())


def rewards_waiting(user: Any) -> QuerySet[Reward]:
    return Reward.objects.filter(
        complaint__in=complaints_visible_to(user, "approve"), state=RewardState.PROPOSED
    ).select_related("complaint")


OUTCOME_LABELS = dict(OutcomeKind.choices)


_COUNTIES_TTL = 300.0  # seconds; the county list changes with a territory import only
_counties: dict[tuple[str, ...], tuple[float, list[tuple[str, str]]]] = {}


def _served_provinces() -> tuple[str, ...]:
    from yaojian.accounts.models import Department

    return tuple(
        sorted(
            Department.objects.filter(is_active=True)
            .annotate(province=Substr("region_id", 1, 2))
            .values_list("province", flat=True)
            .distinct()
        )
    )


def county_choices_key() -> str:
    """What the county list depends on (the provinces served), for a cache key of a page
    that shows it (one small query)."""
    return "-".join(_served_provinces())


def county_choices() -> list[tuple[str, str]]:
    """Counties of the provinces the platform's regulators serve, "city · county".

    Built on every public form (GET and POST), so the list of a set of provinces is kept for
    five minutes in the process: one small query per form instead of two and a few hundred
    objects."""
    import time

    from yaojian.territory.models import Region

    provinces = _served_provinces()
    now = time.monotonic()
    cached = _counties.get(provinces)
    if cached is not None and now - cached[0] < _COUNTIES_TTL:
        return list(cached[1])
    q = Q(pk__in=[])
    for province in provinces:
        q |= Q(code__startswith=province)
    rows = Region.objects.filter(q, level="county", valid_to__isnull=True).select_related("parent")
    choices = [
        (r.code, f"{r.parent.name} · {r.name}" if r.parent else r.name)
        for r in rows.order_by("code")
    ]
    _counties[provinces] = (now, choices)
    return list(choices)

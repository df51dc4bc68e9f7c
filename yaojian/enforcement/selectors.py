"""Reads of enforcement: lists, the case chokepoint, what a participant may see, my work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yaojian.accounts.scoping import scope_for
from yaojian.audit.models import AuditEvent
from yaojian.enforcement import access, permissions
from yaojian.enforcement.choices import OPEN_STAGES, ClockState, TaskState
from yaojian.enforcement.clocks import (
    LEVEL_ORDER,
    ClockStatus,
    clock_level,
    due_soon_before,
    status_of,
)
from yaojian.enforcement.models import (
    AssistanceRequest,
    Case,
    CaseClock,
    CaseOfficer,
    JointTask,
)
from yaojian.enforcement.steps import label as step_label
from yaojian.territory.codes import subtree_prefix


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Every case the user may see (lead or participant; police never)."""
    return Case.objects.visible_to(user)


def get_case_for_user(user: Any, public_id: Any, action: str = "view") -> Case:
    """One case, or ``Case.DoesNotExist`` for missing and forbidden alike (→ 404)."""
    try:
        return (
            Case.objects.visible_to(user, action)
            .select_related("department", "region", "entity")
            .get(public_id=public_id)
        )
    except (ValueError, TypeError, ValidationError) as exc:  # not a UUID
        raise Case.DoesNotExist from exc


@dataclass(frozen=True)
class CaseAccess:
    """What one user may see and do on one case."""

    is_lead: bool
    department_ids: frozenset[int] = field(default_factory=frozenset)
    can_change: bool = False
    can_approve: bool = False
    can_review: bool = False
    # Participating departments of this case whose head the user is (their own decisions).
    participant_heads: frozenset[int] = field(default_factory=frozenset)
    # Departments of the case (lead or participant) whose decisions the user may change.
    deciding_departments: frozenset[int] = field(default_factory=frozenset)

    @property
    def sees_everything(self) -> bool:
        """Evidence, measures, personal data and the whole timeline: the lead only."""
        return self.is_lead


def case_access(user: Any, case: Case) -> CaseAccess:
    view = access.departments_with(user, permissions.VIEW)
    participants = frozenset(case.participants.values_list("department_id", flat=True))
    if view is None:
        return CaseAccess(
            True,
            frozenset(),
            True,
            True,
            True,
            participant_heads=participants,
            deciding_departments=participants | {case.department_id},
        )

    def acts(permission: str) -> bool:
        return access.acts_for(user, permission, case.department_id)

    approve = access.departments_with(user, permissions.APPROVE) or frozenset()
    return CaseAccess(
        is_lead=case.department_id in view,
        department_ids=frozenset(view),
        can_change=acts(permissions.CHANGE),
        can_approve=acts(permissions.APPROVE),
        can_review=acts(permissions.REVIEW),
        participant_heads=participants & approve,
        deciding_departments=(participants | {case.department_id}) & approve,
    )


@dataclass(frozen=True)
class ClockRow:
    clock: CaseClock
    status: ClockStatus


def clock_rows(clocks: Any, today: dt.date | None = None) -> list[ClockRow]:
    """Clocks with their urgency, most urgent first (stopped ones last)."""
    today = today or timezone.localdate()
    rows = [ClockRow(c, status_of(c, today)) for c in clocks]
    rows.sort(key=lambda r: (LEVEL_ORDER[r.status.level], r.clock.due_on, r.clock.pk))
    return rows


def clocks_for(case: Case, case_access_: CaseAccess) -> list[ClockRow]:
    """The lead sees every clock; a participant the clocks of its own tasks and requests."""
    clocks = case.clocks.order_by("due_on", "id")
    if not case_access_.is_lead:
        clocks = clocks.filter(department_id__in=sorted(case_access_.department_ids))
    return clock_rows(clocks)


def timeline(case: Case, case_access_: CaseAccess) -> list[dict[str, Any]]:
    """Every step (the case's own log), with the audit events of the case for the lead."""
    steps = case.steps.select_related("actor", "department").order_by("occurred_at", "id")
    if not case_access_.is_lead:
        steps = steps.filter(is_lead_only=False)
    rows = [
        {
            "at": s.occurred_at,
            "action": s.action,
            "label": step_label(s.action),
            "actor": s.actor,
            "note": s.note,
            "to": s.to_stage,
            "department": s.department,
        }
        for s in steps
    ]
    if case_access_.is_lead:
        logged = {s.action for s in steps}
        for event in (
            AuditEvent.objects.filter(object_id=str(case.public_id))
            .exclude(action__in=[f"enforcement.{a}" for a in logged])
            .order_by("id")
        ):
            rows.append(
                {
                    "at": event.occurred_at,
                    "action": event.action,
                    "label": step_label(event.action),
                    "actor": event.actor_label,
                    "note": event.reason,
                    "to": "",
                    "department": None,
                }
            )
        rows.sort(key=lambda r: r["at"])  # type: ignore[arg-type,return-value]
    return rows


def due_filter(queryset: QuerySet[Case], due: str, today: dt.date | None = None) -> QuerySet[Case]:
    """``overdue`` or ``soon`` (within ``due_soon_wd`` working days) from ``next_due_on``."""
    today = today or timezone.localdate()
    if due == "overdue":
        return queryset.filter(next_due_on__lt=today)
    if due == "soon":
        return queryset.filter(next_due_on__gte=today, next_due_on__lt=due_soon_before(today))
    return queryset


def department_cases(user: Any, filters: dict[str, Any]) -> QuerySet[Case]:
    """The overview of the user's departments' cases, filtered, most urgent first."""
    queryset: QuerySet[Case] = Case.objects.led_by(user)
    if filters.get("stage"):
        queryset = queryset.filter(stage=filters["stage"])
    if filters.get("due"):
        queryset = due_filter(queryset, filters["due"])
    if filters.get("officer"):
        # A semi-join on the officer's id (resolved first, so that PostgreSQL knows how many
        # cases they hold): it walks the list's order and probes the officer index instead
        # of sorting every case of the officer (bench/cases_pages.py).
        officer_id = (
            get_user_model()
            .objects.filter(username=filters["officer"])
            .values_list("pk", flat=True)
            .first()
        )
        if officer_id is None:
            return queryset.none()
        queryset = queryset.filter(
            pk__in=CaseOfficer.objects.filter(user_id=officer_id).values("case_id")
        )
    if filters.get("region"):
        prefix = subtree_prefix(str(filters["region"]))
        queryset = queryset.filter(region__code__startswith=prefix) if prefix else queryset
    return queryset.order_by("next_due_on", "id")


def stage_counts(user: Any) -> dict[str, int]:
    rows = Case.objects.led_by(user).values("stage").annotate(n=Count("id")).order_by()
    return {row["stage"]: row["n"] for row in rows}


def my_cases(user: Any) -> QuerySet[Case]:
    """Open cases where the user is an officer, most urgent first."""
    return (
        Case.objects.led_by(user)
        .filter(officers__user=user, stage__in=sorted(OPEN_STAGES))
        .order_by("next_due_on", "id")
    )


def my_tasks(user: Any) -> QuerySet[JointTask]:
    """Open joint tasks of the user's departments (where the user works cases)."""
    ids = access.departments_with(user, permissions.CHANGE)
    queryset = (
        JointTask.objects.filter(state=TaskState.OPEN)
        .select_related("case", "clock")
        .only(
            "public_id",
            "description",
            "case__public_id",
            "case__number",
            "clock__due_on",
            "clock__provisional",
        )
    )
    if ids is not None:
        queryset = queryset.filter(department_id__in=sorted(ids))
    return queryset.order_by("clock__due_on", "id")


def my_assistance_requests(user: Any) -> QuerySet[AssistanceRequest]:
    ids = access.departments_with(user, permissions.VIEW)
    queryset = (
        AssistanceRequest.objects.filter(state="sent")
        .select_related("clock")
        .only("public_id", "subject", "questions", "clock__due_on", "clock__provisional")
    )
    if ids is not None:
        # The user's own departments answer (not those they oversee as a leader or head).
        own = ids & scope_for(user).department_ids
        queryset = queryset.filter(to_department_id__in=sorted(own))
    return queryset.order_by("clock__due_on", "id")


@dataclass(frozen=True)
class ClockBadge:
    """A running clock as a list row shows it."""

    level: str  # "overdue" | "due_soon" | "ok" | "paused"
    kind: str
    due_on: dt.date
    provisional: bool = False  # computed with a provisional holiday schedule


# The columns a list row shows (``only()``; the counts read no more than the ids).
CASE_ROW_FIELDS = ("id", "public_id", "number", "title", "party_name", "stage", "region_id")


def running_clocks(
    case_ids: list[int], today: dt.date | None = None
) -> dict[int, list[ClockBadge]]:
    """The running clocks of a page of cases, most urgent first (one query).

    The same levels as :func:`status_of` (:func:`clock_level`), with one calendar computation
    for the whole page.
    """
    today = today or timezone.localdate()
    soon_before = due_soon_before(today)
    by_case: dict[int, list[ClockBadge]] = {}
    rows = (
        CaseClock.objects.filter(case_id__in=case_ids)
        .exclude(state=ClockState.STOPPED)
        .order_by("due_on", "id")
        .values_list("case_id", "kind", "state", "due_on", "provisional")
    )
    for case_id, kind, state, due_on, provisional in rows:
        level = clock_level(state, due_on, today, soon_before)
        by_case.setdefault(case_id, []).append(ClockBadge(level, kind, due_on, provisional))
    for badges in by_case.values():
        badges.sort(key=lambda b: LEVEL_ORDER[b.level])  # stable: due date, id within a level
    return by_case


def entity_cases(user: Any, entity: Any) -> QuerySet[Case]:
    return Case.objects.visible_to(user).filter(entity=entity).order_by("-created_at")[:20]  # type: ignore[return-value]


def assistance_visible_to(user: Any) -> QuerySet[AssistanceRequest]:
    ids = access.departments_with(user, permissions.VIEW)
    queryset: QuerySet[AssistanceRequest] = AssistanceRequest.objects.select_related(
        "case", "to_department", "clock"
    )
    if ids is None:
        return queryset
    return queryset.filter(
        Q(to_department_id__in=sorted(ids)) | Q(case__department_id__in=sorted(ids))
    )


def get_assistance_request_for_user(user: Any, public_id: Any) -> AssistanceRequest:
    """One assistance request seen by its requested or requesting department, else
    ``AssistanceRequest.DoesNotExist`` (→ 404) for missing and forbidden alike."""
    try:
        return (
            assistance_visible_to(user)
            .select_related("case__department", "sent_by")
            .get(public_id=public_id)
        )
    except (ValueError, TypeError, ValidationError) as exc:  # not a UUID
        raise AssistanceRequest.DoesNotExist from exc

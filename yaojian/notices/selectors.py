"""Reads of the notices app: inboxes, sent notices, problems, routing, personal-data rights."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from yaojian.accounts.choices import DepartmentLevel, ShareKind
from yaojian.accounts.models import Department, Membership
from yaojian.accounts.scoping import has_permission, overseen_department_ids, scope_for
from yaojian.clocks.calendar import CalendarNotCoveredError, working_days_between
from yaojian.notices.choices import OPEN_STATES, NoticeEventKind, NoticeState, TargetLevel
from yaojian.notices.models import (
    Attachment,
    Notice,
    NoticeEvent,
    Problem,
    ProblemCategory,
    ProblemPerson,
    RoutingRule,
)
from yaojian.notices.permissions import (
    ACT_ON_NOTICE,
    EDIT_RULES,
    PERSONAL_DATA,
    RECORD_PROBLEM,
    SUPERVISE_NOTICES,
)
from yaojian.registry.identifiers import mask_id_card_number, mask_phone
from yaojian.territory import selectors as territory_selectors
from yaojian.territory.codes import code_level, covering_codes


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


# --- notices ---------------------------------------------------------------------------------


def notices_visible_to(user: Any) -> QuerySet[Notice]:
    """Notices the user's departments sent or received."""
    return Notice.objects.visible_to(user).select_related(
        "sender", "recipient", "category", "entity", "problem"
    )


def get_notice_for_user(user: Any, public_id: Any) -> Notice:
    """One notice the user sees; ``Notice.DoesNotExist`` for missing and forbidden alike."""
    key = _uuid(public_id)
    if key is None:
        raise Notice.DoesNotExist
    return notices_visible_to(user).get(public_id=key)


def overdue_q(today: dt.date | None = None) -> Q:
    """Open notices whose deadline has passed."""
    today = today or timezone.localdate()
    return Q(state__in=sorted(OPEN_STATES), due_on__lt=today)


def inbox_department_ids(user: Any) -> list[int]:
    """The user's departments and those they oversee as a leader or head (scoping)."""
    return sorted(scope_for(user).department_ids | (overseen_department_ids(user) or frozenset()))


def inbox(
    user: Any,
    *,
    state: str = "",
    overdue: bool = False,
    escalated: bool = False,
    department: str = "",
) -> QuerySet[Notice]:
    """Notices received by the user's departments, newest first, optionally filtered.

    A leader or head also sees what the departments they oversee received.
    """
    ids = inbox_department_ids(user)
    qs = notices_visible_to(user)
    if not scope_for(user).is_superuser:
        qs = qs.filter(recipient_id__in=ids)
    if state in NoticeState.values:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(overdue_q())
    if escalated:
        qs = qs.filter(escalation_level__gte=1, state__in=sorted(OPEN_STATES))
    if department:
        # One receiving department, by its code (the dashboard's drill-down).
        qs = qs.filter(recipient__code=department)
    return qs


def sent_notices(user: Any, *, state: str = "") -> QuerySet[Notice]:
    """Notices the user's departments (and those they oversee) sent, newest first."""
    ids = inbox_department_ids(user)
    qs = notices_visible_to(user).filter(sender_id__in=ids)
    if state in NoticeState.values:
        qs = qs.filter(state=state)
    return qs


def unread_count(user: Any) -> int:
    """How many notices wait unread in the user's departments' inboxes."""
    ids = sorted(scope_for(user).department_ids)
    if not ids:
        return 0
    return Notice.objects.filter(recipient_id__in=ids, state=NoticeState.UNREAD).count()


def inbox_counts(user: Any) -> dict[str, int]:
    """Number of received notices per state, plus ``overdue`` and ``escalated``."""
    ids = inbox_department_ids(user)
    base = Notice.objects.filter(recipient_id__in=ids)
    counts = dict.fromkeys(NoticeState.values, 0)
    for state, count in _grouped(base):
        counts[state] = count
    counts["overdue"] = base.filter(overdue_q()).count()
    counts["escalated"] = base.filter(
        escalation_level__gte=1, state__in=sorted(OPEN_STATES)
    ).count()
    return counts


def _grouped(qs: QuerySet[Notice]) -> list[tuple[str, int]]:
    from django.db.models import Count

    return [(row["state"], row["n"]) for row in qs.values("state").annotate(n=Count("id"))]


def working_days_left(notice: Notice, today: dt.date | None = None) -> int | None:
    """Working days until the deadline (negative when overdue); ``None`` without a deadline."""
    if notice.due_on is None or notice.state not in OPEN_STATES:
        return None
    try:
        return working_days_between(today or timezone.localdate(), notice.due_on)
    except CalendarNotCoveredError:
        return None


def is_overdue(notice: Notice, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return notice.state in OPEN_STATES and notice.due_on is not None and notice.due_on < today


def acting_department_ids(user: Any, permission: str = ACT_ON_NOTICE) -> frozenset[int]:
    """Departments in which the user holds ``permission``."""
    return frozenset(m.department_id for m in scope_for(user).members_with(permission))


def can_act_on(user: Any, notice: Notice) -> bool:
    """May the user acknowledge and answer ``notice`` (a worker of the recipient department)?"""
    if user is None or scope_for(user).is_superuser:
        return True
    return notice.recipient_id in acting_department_ids(user)


def can_close(user: Any, notice: Notice) -> bool:
    """May the user close ``notice`` (a worker of the sender department)?"""
    if user is None or scope_for(user).is_superuser:
        return True
    return notice.sender_id in acting_department_ids(user)


# --- escalations seen by department heads ---------------------------------------------------

ESCALATED_PANEL_SIZE = 20


@dataclass(frozen=True)
class EscalatedRow:
    """An overdue notice escalated to the heads of a department, with who owes the answer."""

    notice: Notice
    level: int
    overdue_department: Department
    due_on: dt.date | None
    working_days_overdue: int | None
    seen_by: list[str]


def _escalated_q(department_ids: list[int]) -> Q:
    """Level 1: the departments' own escalated open notices; level 2: the copies sent up to
    them about a notice of the level below that is still open."""
    open_states = sorted(OPEN_STATES)
    return Q(recipient_id__in=department_ids) & (
        Q(escalation_level__gte=1, state__in=open_states)
        | Q(escalated_from__isnull=False, escalated_from__state__in=open_states)
    )


def supervised_department_ids(user: Any) -> list[int]:
    """Departments whose escalated notices the user supervises (as their head)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return sorted(acting_department_ids(user, SUPERVISE_NOTICES))


def escalated_count(user: Any) -> int:
    """How many escalated notices wait for the heads of the user's departments (0 otherwise)."""
    ids = supervised_department_ids(user)
    if not ids:
        return 0
    return Notice.objects.filter(_escalated_q(ids)).count()


def escalated_to_heads(user: Any, today: dt.date | None = None) -> list[EscalatedRow]:
    """Escalated notices the user supervises as department head, most overdue first.

    For each: the department that owes the answer (the recipient, or for a level-2 copy the
    department below), the deadline, the working days past it, and who in that department
    has opened or acknowledged it (from the notice's events). Two queries, however many rows.
    """
    ids = supervised_department_ids(user)
    if not ids:
        return []
    today = today or timezone.localdate()
    seen = NoticeEvent.objects.filter(
        kind__in=[NoticeEventKind.VIEWED, NoticeEventKind.ACKNOWLEDGED], actor__isnull=False
    ).select_related("actor")
    notices = list(
        Notice.objects.filter(_escalated_q(ids))
        .select_related("sender", "recipient", "escalated_from__recipient")
        .prefetch_related(
            Prefetch("events", queryset=seen, to_attr="seen_events"),
            Prefetch("escalated_from__events", queryset=seen, to_attr="seen_below"),
        )
        .order_by(Coalesce("escalated_from__due_on", "due_on").asc(nulls_last=True), "id")[
            :ESCALATED_PANEL_SIZE
        ]
    )
    rows = []
    for notice in notices:
        owed = notice.escalated_from or notice
        due_on = owed.due_on
        try:
            late = working_days_between(due_on, today) if due_on else None
        except CalendarNotCoveredError:
            late = None
        names: list[str] = []
        events = getattr(owed, "seen_below" if notice.escalated_from else "seen_events", [])
        for event in events:
            name = str(event.actor)
            if event.department_id == owed.recipient_id and name not in names:
                names.append(name)
        rows.append(
            EscalatedRow(
                notice=notice,
                level=2 if notice.escalated_from_id else notice.escalation_level,
                overdue_department=owed.recipient,
                due_on=due_on,
                working_days_overdue=late,
                seen_by=names,
            )
        )
    return rows


def notice_timeline(notice: Notice) -> list[NoticeEvent]:
    """Who saw or did what on the notice, oldest first."""
    return list(notice.events.select_related("actor", "department").order_by("occurred_at", "id"))


# --- problems --------------------------------------------------------------------------------


def problems_visible_to(user: Any) -> QuerySet[Problem]:
    """Problems the user's departments recorded or received notices about."""
    return Problem.objects.visible_to(user).select_related(
        "department", "category", "entity", "region", "reporter"
    )


def get_problem_for_user(user: Any, public_id: Any) -> Problem:
    """One problem the user sees; ``Problem.DoesNotExist`` for missing and forbidden alike."""
    key = _uuid(public_id)
    if key is None:
        raise Problem.DoesNotExist
    return problems_visible_to(user).get(public_id=key)


@dataclass(frozen=True)
class ProblemRecipient:
    """A department notified of a problem, and whether it answered.

    ``notice`` is the notice itself only when the user's departments sent or received it: a
    co-recipient sees the other departments and whether they answered, never their notices.
    """

    recipient: Department
    answered: bool
    notice: Notice | None


def problem_recipients(user: Any, problem: Problem) -> list[ProblemRecipient]:
    """The departments notified of ``problem`` (by code), as ``user`` may see them."""
    cached = getattr(problem, "_prefetched_objects_cache", {}).get("notices")
    notices = (
        list(cached)
        if cached is not None
        else list(Notice.objects.filter(problem=problem).select_related("recipient"))
    )
    scope = scope_for(user)
    mine = scope.department_ids
    return [
        ProblemRecipient(
            recipient=n.recipient,
            answered=n.answered_at is not None,
            notice=n
            if scope.is_superuser or n.sender_id in mine or n.recipient_id in mine
            else None,
        )
        for n in sorted(notices, key=lambda n: (n.recipient.code, n.pk))
    ]


def can_record_problem(user: Any) -> bool:
    return has_permission(user, RECORD_PROBLEM)


def recording_departments(user: Any) -> list[Department]:
    """Departments for which the user may record problems."""
    if scope_for(user).is_superuser:
        return list(Department.objects.filter(is_active=True).order_by("code"))
    ids = acting_department_ids(user, RECORD_PROBLEM)
    return list(Department.objects.filter(pk__in=sorted(ids), is_active=True).order_by("code"))


def active_categories() -> QuerySet[ProblemCategory]:
    return ProblemCategory.objects.filter(is_active=True)


# --- personal data ---------------------------------------------------------------------------


def personal_data_department_id(user: Any, problem: Problem) -> int | None:
    """The user's department through which they may read the problem's personal data.

    The reporting department's members holding ``registry.view_personal_data`` may; so may
    such members of a department the reporting department gave an active ShareGrant of kind
    ``personal_data``. The owning department wins.
    """
    scope = scope_for(user)
    members = scope.members_with(PERSONAL_DATA)
    for member in members:
        if member.department_id == problem.department_id:
            return member.department_id
    for member in members:
        if problem.department_id in scope.grantors(ShareKind.PERSONAL_DATA, member.department_id):
            return member.department_id
    return None


def can_see_personal_data(user: Any, problem: Problem) -> bool:
    if scope_for(user).is_superuser:
        return True
    return personal_data_department_id(user, problem) is not None


def _mask_name(name: str) -> str:
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


@dataclass(frozen=True)
class MaskedPerson:
    """A person's row as shown before an audited reveal."""

    public_key: int
    role: str
    role_label: str
    name: str
    id_number: str
    phone: str


def masked_persons(problem: Problem) -> list[MaskedPerson]:
    """The problem's personal data with names, ID numbers and phones masked."""
    return [
        MaskedPerson(
            public_key=index,
            role=person.role,
            role_label=str(person.get_role_display()),
            name=_mask_name(person.name),
            id_number=mask_id_card_number(person.id_number) if person.id_number else "",
            phone=mask_phone(person.phone) if person.phone else "",
        )
        for index, person in enumerate(_persons(problem), start=1)
    ]


def _persons(problem: Problem) -> list[ProblemPerson]:
    return list(problem.persons.order_by("id"))


# --- routing ---------------------------------------------------------------------------------


_LEVEL_FOR_CODE = {
    "province": DepartmentLevel.PROVINCE,
    "city": DepartmentLevel.CITY,
    "county": DepartmentLevel.COUNTY,
}


def departments_covering(kind: str, level: str, region_code: str) -> list[Department]:
    """Active departments of ``kind`` for ``region_code`` at a rule's level.

    ``same``: the department whose jurisdiction is the region itself, else the nearest one
    above; ``city``: the city's, else the province's; ``province``: the province's.
    """
    chain = covering_codes(region_code)
    if level == TargetLevel.CITY:
        chain = [c for c in chain if code_level(c) != "county"]
    elif level == TargetLevel.PROVINCE:
        chain = [c for c in chain if code_level(c) == "province"]
    rows = [
        d
        for d in territory_selectors.departments_covering(region_code, kinds=(kind,))
        if d.region_id in chain
    ]
    return [d for d in rows if d.region_id == rows[0].region_id] if rows else []


@dataclass
class Route:
    """One recipient department picked by the rules, with the strictest clock among them."""

    department: Department
    rules: list[RoutingRule] = field(default_factory=list)
    due_working_days: int = 0
    expected_answer: str = ""


@dataclass(frozen=True)
class Unrouted:
    """A rule that matched but found no active department of its kind."""

    rule: RoutingRule


def matching_rules(category: ProblemCategory, entity_kind: str) -> list[RoutingRule]:
    """Active rules of ``category`` for ``entity_kind`` (and the rules for any entity)."""
    kinds = ["", entity_kind] if entity_kind else [""]
    return list(
        RoutingRule.objects.filter(category=category, is_active=True, entity_kind__in=kinds)
        .select_related("category")
        .order_by("target_kind", "target_level", "id")
    )


def route_problem(
    category: ProblemCategory,
    entity_kind: str,
    region_code: str,
    *,
    exclude_department_id: int | None = None,
) -> tuple[list[Route], list[Unrouted]]:
    """The departments a problem goes to by the rules (one route per department)."""
    routes: dict[int, Route] = {}
    unrouted: list[Unrouted] = []
    for rule in matching_rules(category, entity_kind):
        departments = [
            d
            for d in departments_covering(rule.target_kind, rule.target_level, region_code)
            if d.pk != exclude_department_id
        ]
        if not departments:
            unrouted.append(Unrouted(rule))
        for department in departments:
            route = routes.setdefault(department.pk, Route(department=department))
            route.rules.append(rule)
            days = rule.due_working_days
            route.due_working_days = (
                days if not route.due_working_days else min(route.due_working_days, days)
            )
            if rule.expected_answer and rule.expected_answer not in route.expected_answer:
                route.expected_answer = "\n".join(
                    part for part in (route.expected_answer, rule.expected_answer) if part
                )
    ordered = sorted(routes.values(), key=lambda r: (r.department.kind, r.department.code))
    return ordered, unrouted


def department_above(department: Department) -> Department | None:
    """The active department of the same kind one level up (city → province …)."""
    parent = department.parent
    if parent is not None and parent.kind == department.kind and parent.is_active:
        return parent
    code = department.region_id
    level = code_level(code)
    if level == "province":
        return None
    above = code[:2] + "0000" if level == "city" else code[:4] + "00"
    found = departments_covering(department.kind, TargetLevel.SAME, above)
    return found[0] if found and found[0].pk != department.pk else None


def department_heads(department: Department) -> list[Any]:
    """Active department heads of ``department``."""
    return [
        m.user
        for m in Membership.objects.filter(
            department=department, role="department_head", is_active=True
        ).select_related("user")
    ]


# --- rules -----------------------------------------------------------------------------------


def routing_rules() -> QuerySet[RoutingRule]:
    """Every routing rule (everyone signed in reads them; administrators edit them)."""
    return RoutingRule.objects.select_related("category")


def get_rule(public_id: Any) -> RoutingRule:
    key = _uuid(public_id)
    if key is None:
        raise RoutingRule.DoesNotExist
    return routing_rules().get(public_id=key)


def can_edit_rules(user: Any) -> bool:
    return has_permission(user, EDIT_RULES)


# --- entity profile panel --------------------------------------------------------------------


def entity_problems(user: Any, entity: Any) -> QuerySet[Problem]:
    return problems_visible_to(user).filter(entity=entity)


def entity_notices(user: Any, entity: Any) -> QuerySet[Notice]:
    return notices_visible_to(user).filter(entity=entity)


def get_attachment_for_user(user: Any, public_id: Any) -> Attachment:
    """An attachment of a notice or problem the user sees; ``DoesNotExist`` otherwise."""
    key = _uuid(public_id)
    if key is None:
        raise Attachment.DoesNotExist
    attachment = Attachment.objects.select_related("problem", "notice").get(public_id=key)
    if attachment.notice is not None:
        get_notice_for_user(user, attachment.notice.public_id)
    elif attachment.problem is not None:
        get_problem_for_user(user, attachment.problem.public_id)
    return attachment

"""The sections of the first page (工作台) that the existing apps contribute (ADR 0016).

Each provider answers for one user: ``None`` when the section does not fit their roles, else
the first :data:`SHOWN` items (most urgent first, each linking to the page where the person
acts) and how many there are: one statement per section whatever the numbers
(``core.workbench.first_rows``: the first rows with their counts as scalar subqueries).
Apps added later register their own providers from ``AppConfig.ready()`` with
``yaojian.core.workbench.work_sections.register(key, provider)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.scoping import has_permission, scope_for
from yaojian.clocks import calendar
from yaojian.core.workbench import (
    DUE_SOON,
    INFO,
    OVERDUE,
    WAITING,
    WorkItem,
    WorkSection,
    first_rows,
    work_sections,
)
from yaojian.enforcement import access
from yaojian.enforcement import permissions as case_permissions
from yaojian.enforcement import selectors as case_selectors
from yaojian.enforcement.choices import CaseStage, DecisionState, ExtensionState
from yaojian.enforcement.models import Case, ClockExtension, Decision
from yaojian.exchange.choices import AlertStatus
from yaojian.exchange.models import DataQualityAlert
from yaojian.exchange.permissions import VIEW_ALERTS
from yaojian.jobs.choices import JobStatus
from yaojian.jobs.models import Job
from yaojian.linkage.choices import ReviewState
from yaojian.linkage.selectors import reviews_visible_to
from yaojian.notices import selectors as notice_selectors
from yaojian.notices.choices import OPEN_STATES
from yaojian.notices.models import Notice
from yaojian.referrals.choices import ReferralState
from yaojian.referrals.selectors import referrals_visible_to

SHOWN = 5
DUE_SOON_DAYS = 5  # working days, as the case lists' "due soon"


def _soon_limit(today: dt.date) -> dt.date:
    try:
        return calendar.add_working_days(today, DUE_SOON_DAYS)
    except calendar.CalendarNotCoveredError:
        return today + dt.timedelta(days=7)


def _level(due_on: dt.date | None, today: dt.date) -> str:
    if due_on is None:
        return WAITING
    if due_on < today:
        return OVERDUE
    if due_on <= _soon_limit(today):
        return DUE_SOON
    return WAITING


# --- enforcement -----------------------------------------------------------------------------


def case_clocks(user: Any, today: dt.date) -> WorkSection | None:
    """My open cases, by their most urgent clock."""
    if not access.departments_with(user, case_permissions.CHANGE):
        return None
    queryset = case_selectors.my_cases(user)
    rows, count, _numbers = first_rows(
        queryset.values("public_id", "number", "title", "next_due_on"), SHOWN
    )
    items = [
        WorkItem(
            label=f"{row['number']} {row['title']}",
            url=reverse("enforcement:case_detail", args=[row["public_id"]]),
            level=_level(row["next_due_on"], today),
            due_on=row["next_due_on"],
        )
        for row in rows
    ]
    return WorkSection(
        "cases",
        _("My cases by deadline"),
        items,
        count,
        reverse("enforcement:my_work"),
        order=10,
        empty_text=_("No open case is assigned to you."),
    )


def joint_tasks(user: Any, today: dt.date) -> WorkSection | None:
    """Open joint tasks of my departments."""
    if not access.departments_with(user, case_permissions.CHANGE):
        return None
    queryset = case_selectors.my_tasks(user)
    tasks, count, _numbers = first_rows(queryset, SHOWN)
    items = [
        WorkItem(
            label=f"{task.case.number} {task.description[:60]}",
            url=reverse("enforcement:case_detail", args=[task.case.public_id]),
            level=_level(task.clock.due_on if task.clock else None, today),
            due_on=task.clock.due_on if task.clock else None,
        )
        for task in tasks
    ]
    return WorkSection(
        "tasks",
        _("Joint tasks"),
        items,
        count,
        reverse("enforcement:my_work"),
        order=20,
        empty_text=_("No joint task is open."),
    )


def assistance_requests(user: Any, today: dt.date) -> WorkSection | None:
    """Assistance requests (协查) my own departments must answer."""
    if not access.departments_with(user, case_permissions.VIEW):
        return None
    queryset = case_selectors.my_assistance_requests(user)
    requests_, count, _numbers = first_rows(queryset, SHOWN)
    if not requests_:
        return None
    items = [
        WorkItem(
            label=request.subject,
            url=reverse("enforcement:request_detail", args=[request.public_id]),
            level=_level(request.clock.due_on if request.clock else None, today),
            due_on=request.clock.due_on if request.clock else None,
        )
        for request in requests_
    ]
    return WorkSection(
        "assistance",
        _("Assistance requests to answer"),
        items,
        count,
        reverse("enforcement:my_work"),
        order=30,
    )


def approvals(user: Any, today: dt.date) -> WorkSection | None:
    """What waits for a head: filings, extensions and decisions to approve."""
    ids = access.departments_with(user, case_permissions.APPROVE)
    if not ids and ids is not None:
        return None
    cases = Case.objects.all() if ids is None else Case.objects.filter(department_id__in=ids)
    filings = cases.filter(stage=CaseStage.VERIFICATION).order_by("next_due_on", "id")
    extensions = ClockExtension.objects.filter(
        state=ExtensionState.REQUESTED, clock__case__in=cases.values("pk")
    ).order_by("requested_on", "id")
    decisions = Decision.objects.filter(
        state=DecisionState.PROPOSED, case__in=cases.values("pk")
    ).order_by("created_at", "id")
    items: list[WorkItem] = []
    # Each list's first rows and its number in one statement (three in all).
    counts: dict[str, int] = {}
    rows, counts["filing"], _numbers = first_rows(
        filings.values("public_id", "number", "title", "next_due_on"), SHOWN
    )
    for row in rows:
        items.append(
            WorkItem(
                label=gettext("File case %(number)s: %(title)s")
                % {"number": row["number"], "title": row["title"]},
                url=reverse("enforcement:case_detail", args=[row["public_id"]]),
                level=_level(row["next_due_on"], today),
                due_on=row["next_due_on"],
                detail="filing",
            )
        )
    rows, counts["extension"], _numbers = first_rows(
        extensions.values("clock__case__public_id", "clock__case__number", "clock__due_on", "days"),
        SHOWN,
    )
    for ext in rows:
        items.append(
            WorkItem(
                label=gettext("Extension of %(days)s days for case %(number)s")
                % {"days": ext["days"], "number": ext["clock__case__number"]},
                url=reverse("enforcement:case_detail", args=[ext["clock__case__public_id"]]),
                level=_level(ext["clock__due_on"], today),
                due_on=ext["clock__due_on"],
                detail="extension",
            )
        )
    rows, counts["decision"], _numbers = first_rows(
        decisions.values("case__public_id", "case__number", "case__next_due_on"), SHOWN
    )
    for dec in rows:
        items.append(
            WorkItem(
                label=gettext("Decision proposed for case %(number)s")
                % {"number": dec["case__number"]},
                url=reverse("enforcement:case_detail", args=[dec["case__public_id"]]),
                level=_level(dec["case__next_due_on"], today),
                due_on=dec["case__next_due_on"],
                detail="decision",
            )
        )
    items.sort(key=lambda item: item.rank)
    return WorkSection(
        "approvals",
        _("Waiting for your approval"),
        items[: SHOWN * 2],
        sum(counts.values()),
        reverse("enforcement:case_list") + "?stage=" + CaseStage.VERIFICATION,
        order=5,
        empty_text=_("Nothing waits for your approval."),
        breakdown=[
            (_("Filings"), counts["filing"]),
            (_("Extensions"), counts["extension"]),
            (_("Decisions"), counts["decision"]),
        ],
    )


def legal_reviews(user: Any, today: dt.date) -> WorkSection | None:
    """Cases waiting for a legal review (法制审核)."""
    ids = access.departments_with(user, case_permissions.REVIEW)
    if not ids and ids is not None:
        return None
    queryset = (
        (Case.objects.all() if ids is None else Case.objects.filter(department_id__in=ids))
        .filter(stage=CaseStage.REVIEW)
        .order_by("next_due_on", "id")
    )
    rows, count, _numbers = first_rows(
        queryset.values("public_id", "number", "title", "next_due_on"), SHOWN
    )
    items = [
        WorkItem(
            label=f"{row['number']} {row['title']}",
            url=reverse("enforcement:case_detail", args=[row["public_id"]]),
            level=_level(row["next_due_on"], today),
            due_on=row["next_due_on"],
        )
        for row in rows
    ]
    return WorkSection(
        "reviews",
        _("Cases waiting for your review"),
        items,
        count,
        reverse("enforcement:case_list") + "?stage=" + CaseStage.REVIEW,
        order=6,
        empty_text=_("No case waits for a review."),
    )


# --- notices ---------------------------------------------------------------------------------


def notices_to_answer(user: Any, today: dt.date) -> WorkSection | None:
    """Open notices my own departments received, the overdue first."""
    ids = sorted(scope_for(user).department_ids)
    if not ids:
        return None
    queryset = Notice.objects.filter(recipient_id__in=ids, state__in=sorted(OPEN_STATES)).order_by(
        "due_on", "id"
    )
    # The first rows, the total and the overdue in one statement.
    rows, total, numbers = first_rows(
        queryset.values("public_id", "subject", "due_on", "state"),
        SHOWN,
        overdue=Q(due_on__lt=today),
    )
    overdue = numbers["overdue"]
    items = [
        WorkItem(
            label=row["subject"],
            url=reverse("notices:notice_detail", args=[row["public_id"]]),
            level=_level(row["due_on"], today),
            due_on=row["due_on"],
            detail=row["state"],
        )
        for row in rows
    ]
    return WorkSection(
        "notices",
        _("Notices to answer"),
        items,
        total,
        reverse("notices:inbox") + ("?overdue=1" if overdue else ""),
        order=15,
        empty_text=_("No notice waits for an answer."),
        breakdown=[(_("Overdue"), overdue)] if items else [],
    )


def escalations(user: Any, today: dt.date) -> WorkSection | None:
    """Overdue notices escalated to the heads of my departments."""
    ids = notice_selectors.supervised_department_ids(user)
    if not ids:
        return None
    rows = notice_selectors.escalated_to_heads(user, today)
    if not rows:
        return None
    items = [
        WorkItem(
            label=gettext("%(subject)s (owed by %(department)s)")
            % {"subject": row.notice.subject, "department": row.overdue_department.name},
            url=reverse("notices:notice_detail", args=[row.notice.public_id]),
            level=OVERDUE,
            due_on=row.due_on,
        )
        for row in rows[:SHOWN]
    ]
    return WorkSection(
        "escalations",
        _("Escalated to you: overdue notices"),
        items,
        len(rows),
        reverse("notices:inbox") + "?escalated=1",
        order=16,
    )


# --- referrals -------------------------------------------------------------------------------


def referrals_waiting(user: Any, today: dt.date) -> WorkSection | None:
    """Referrals to the police: to approve (heads) or to receive and answer (police)."""
    scope = scope_for(user)
    if not scope.members:
        return None
    # The kinds of the user's departments come with the memberships (no query).
    police = {
        m.department_id
        for m in scope.members
        if m.department_kind == DepartmentKind.PUBLIC_SECURITY
    }
    states: list[str] = []
    if police:
        states += [ReferralState.TRANSFERRED, ReferralState.RECEIVED, ReferralState.RECONSIDERATION]
    if has_permission(user, case_permissions.APPROVE):
        states.append(ReferralState.REPORTED)
    if not states:
        return None
    queryset = referrals_visible_to(user).filter(state__in=states).order_by("created_at", "id")
    referrals, count, _numbers = first_rows(queryset, SHOWN)
    if not referrals:
        return None
    items = [
        WorkItem(
            label=str(referral),
            url=reverse("referrals:referral_detail", args=[referral.public_id]),
            level=WAITING,
            detail=referral.state,
        )
        for referral in referrals
    ]
    return WorkSection(
        "referrals",
        _("Referrals waiting for you"),
        items,
        count,
        reverse("referrals:referral_list"),
        order=25,
    )


# --- registry data: linkage reviews and alerts -----------------------------------------------


def link_reviews(user: Any, today: dt.date) -> WorkSection | None:
    """Records the engine could not link: a data steward decides."""
    queryset = reviews_visible_to(user).filter(state=ReviewState.PENDING).order_by("created_at")
    rows, count, _numbers = first_rows(queryset.values("public_id", "record_name"), SHOWN)
    if not rows:
        return None
    items = [
        WorkItem(
            label=row["record_name"],
            url=reverse("linkage:review_detail", args=[row["public_id"]]),
            level=WAITING,
        )
        for row in rows
    ]
    return WorkSection(
        "link_reviews",
        _("Records waiting for a linkage review"),
        items,
        count,
        reverse("linkage:review_list"),
        order=40,
    )


def data_alerts(user: Any, today: dt.date) -> WorkSection | None:
    """Open data-quality alerts concerning my departments."""
    if not has_permission(user, VIEW_ALERTS):
        return None
    queryset = (
        DataQualityAlert.objects.visible_to(user)
        .filter(status=AlertStatus.OPEN)
        .order_by("-detected_at", "-id")
    )
    rows, count, _numbers = first_rows(queryset.values("entity__name", "kind"), SHOWN)
    if not rows:
        return None
    items = [
        WorkItem(
            label=f"{row['entity__name']}",
            url=reverse("exchange:alert_list"),
            level=INFO,
            detail=row["kind"],
        )
        for row in rows
    ]
    return WorkSection(
        "alerts",
        _("Open data-quality alerts"),
        items,
        count,
        reverse("exchange:alert_list"),
        order=50,
    )


# --- jobs and the dashboard ------------------------------------------------------------------


def finished_jobs(user: Any, today: dt.date) -> WorkSection | None:
    """My jobs that finished in the last week (exports, imports …)."""
    # From local midnight a week ago: a plain range on the column (no per-row date cast).
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=7), dt.time.min))
    queryset = Job.objects.filter(
        owner=user,
        status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED],
        finished_at__gte=since,
    ).order_by("-finished_at", "-id")
    jobs, count, _numbers = first_rows(
        queryset.only("public_id", "title", "status", "finished_at"), SHOWN
    )
    if not jobs:
        return None
    items = [
        WorkItem(
            label=job.title,
            url=reverse("jobs:job_detail", args=[job.public_id]),
            level=OVERDUE if job.status == JobStatus.FAILED else INFO,
            detail=job.status,
        )
        for job in jobs
    ]
    return WorkSection(
        "jobs",
        _("Jobs finished this week"),
        items,
        count,
        reverse("jobs:job_list"),
        order=60,
    )


def dashboard_link(user: Any, today: dt.date) -> WorkSection | None:
    """Leaders and heads: the way to the dashboard of their region, with its overdue notices.

    The count comes from the region's pre-computed snapshot (no aggregation on the first page);
    before the first snapshot, the item simply opens the dashboard.
    """
    from yaojian.dashboard.models import Snapshot
    from yaojian.dashboard.scope import dashboard_scope, may_view_dashboard
    from yaojian.dashboard.services import summarise
    from yaojian.territory.models import Region

    if not may_view_dashboard(user):
        return None
    try:
        scope = dashboard_scope(user)
    except Region.DoesNotExist:
        return None
    # The snapshot's key numbers (a few bytes), not its figures (hundreds of rows per region).
    found = Snapshot.objects.filter(key=scope.key).values_list("pk", "summary").first()
    summary: dict[str, Any] = {}
    if found is not None:
        summary = found[1] or summarise(
            Snapshot.objects.filter(pk=found[0]).values_list("figures", flat=True).first() or {}
        )
    overdue = int(summary.get("overdue_notices") or 0)
    label = (
        gettext("%(count)s notices overdue in the departments you oversee") % {"count": overdue}
        if found is not None
        else gettext("Open the dashboard of %(region)s") % {"region": scope.region.name}
    )
    item = WorkItem(
        label=label,
        url=reverse("dashboard:dashboard"),
        level=OVERDUE if overdue else INFO,
    )
    return WorkSection(
        "dashboard",
        _("Leadership dashboard"),
        [item],
        overdue,
        reverse("dashboard:dashboard"),
        order=1,
    )


def register_all() -> None:
    """The sections of enforcement, notices, referrals, linkage, exchange and jobs."""
    for key, provider in (
        ("approvals", approvals),
        ("reviews", legal_reviews),
        ("cases", case_clocks),
        ("notices", notices_to_answer),
        ("escalations", escalations),
        ("tasks", joint_tasks),
        ("assistance", assistance_requests),
        ("referrals", referrals_waiting),
        ("link_reviews", link_reviews),
        ("alerts", data_alerts),
        ("jobs", finished_jobs),
        ("dashboard", dashboard_link),
    ):
        work_sections.register(key, provider)

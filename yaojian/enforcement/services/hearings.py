"""Writes of a hearing (听证办法): request, presiding officer, file, schedule, report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yaojian.clocks import calendar
from yaojian.enforcement import access, clock_rules, permissions
from yaojian.enforcement.choices import CaseStage, ClockKind, PauseReason
from yaojian.enforcement.models import Case, Hearing
from yaojian.enforcement.services.clocks import (
    active_clock,
    pause_internal,
    resume_internal,
    start_clock,
    stop_clocks,
)
from yaojian.enforcement.services.common import (
    calendar_errors,
    clean_day,
    lock_case,
    log_step,
    move,
    require,
    require_stage,
    required_text,
)


def open_hearing(*, actor: Any, case: Case, requested_on: dt.date) -> Hearing:
    """Called by ``record_defence``: the case goes to the hearing, the decision clock pauses."""
    move(case, CaseStage.HEARING, actor=actor, action="hearing_requested")
    hearing = Hearing.objects.create(case=case, requested_on=requested_on)
    start_clock(case=case, kind=ClockKind.HEARING_PRESIDING, started_on=requested_on)
    decision_clock = active_clock(case, ClockKind.DECISION)
    if decision_clock is not None and decision_clock.state == "running":
        decision_clock.case = case
        pause_internal(decision_clock, reason=PauseReason.HEARING, on=requested_on, actor=actor)
    return hearing


def _hearing(actor: Any, case: Case, action: str) -> tuple[Case, Hearing]:
    case = lock_case(actor, case, action)
    require_stage(case, CaseStage.HEARING)
    return case, Hearing.objects.select_for_update(no_key=True).get(case=case)


@transaction.atomic
def appoint_presiding_officer(
    *, actor: Any, case: Case, presiding_officer: Any, appointed_on: Any = None
) -> Hearing:
    """The head appoints the presiding officer (3 wd, 第18条) — not a case officer."""
    case, hearing = _hearing(actor, case, "approve")
    require(
        hearing.presiding_officer_id is None,
        _("The presiding officer is already appointed."),
        "done",
    )
    require(
        presiding_officer is not None
        and not case.officers.filter(user=presiding_officer).exists()
        and access.acts_for(presiding_officer, permissions.VIEW, case.department_id),
        _("Choose a member of the department who is not a case officer of this case."),
        "invalid_presiding_officer",
        "presiding_officer",
    )
    on = clean_day(appointed_on, "appointed_on")
    hearing.presiding_officer, hearing.presiding_appointed_on = presiding_officer, on
    hearing.save(update_fields=["presiding_officer", "presiding_appointed_on", "updated_at"])
    stop_clocks(case, {ClockKind.HEARING_PRESIDING}, on)
    start_clock(case=case, kind=ClockKind.HEARING_FILE, started_on=on)
    log_step(
        case=case,
        actor=actor,
        action="presiding_officer_appointed",
        changes={"presiding_officer": str(presiding_officer)},
    )
    return hearing


@transaction.atomic
def hand_over_file(*, actor: Any, case: Case, handed_on: Any = None) -> Hearing:
    """The officers hand the case file to the presiding officer (3 wd, 第19条)."""
    case, hearing = _hearing(actor, case, "change")
    require(
        hearing.presiding_officer_id is not None, _("Appoint the presiding officer first."), "order"
    )
    require(hearing.file_handed_on is None, _("The file has already been handed over."), "done")
    on = clean_day(handed_on, "handed_on")
    hearing.file_handed_on = on
    hearing.save(update_fields=["file_handed_on", "updated_at"])
    stop_clocks(case, {ClockKind.HEARING_FILE}, on)
    # 第20条: the time and place are fixed within 5 wd of receiving the file.
    start_clock(case=case, kind=ClockKind.HEARING_SCHEDULE, started_on=on)
    log_step(case=case, actor=actor, action="hearing_file_handed_over")
    return hearing


@transaction.atomic
def schedule_hearing(
    *,
    actor: Any,
    case: Case,
    scheduled_for: Any,
    place: str,
    notice_served_on: Any = None,
    announced_on: Any = None,
    is_public: bool = True,
) -> Hearing:
    """Fix the time and place (within 5 wd of the file, 第20条); the notice must be served
    ≥ 7 wd before the hearing (第20条) and a public hearing announced ≥ 3 wd before (第22条;
    ``announced_on`` defaults to the day the notice is served)."""
    case, hearing = _hearing(actor, case, "change")
    require(hearing.file_handed_on is not None, _("Hand over the case file first."), "order")
    place = required_text(place, "place", _("Give the place of the hearing."))
    served = clean_day(notice_served_on, "notice_served_on")
    try:
        day = (
            dt.date.fromisoformat(str(scheduled_for))
            if not isinstance(scheduled_for, dt.date)
            else scheduled_for
        )
    except ValueError:
        day = None
    require(day is not None, _("Enter a valid date."), "invalid_date", "scheduled_for")
    assert day is not None  # noqa: S101 (narrowing after require)
    minimum = int(clock_rules.value("hearing_notice_min_wd"))
    with calendar_errors("scheduled_for"):
        gap = calendar.working_days_between(served, day)
        earliest = calendar.add_working_days(served, minimum)
    require(
        gap >= minimum,
        _(
            "The hearing notice must be served at least %(days)s working days before the hearing: the earliest date is %(date)s."
        ),
        "notice_too_late",
        "scheduled_for",
        days=minimum,
        date=earliest,
    )
    announced = None
    if is_public:
        announced = clean_day(announced_on, "announced_on", default=served)
        announcement_min = int(clock_rules.value("hearing_announcement_min_wd"))
        with calendar_errors("announced_on"):
            announcement_gap = calendar.working_days_between(announced, day)
            latest = calendar.subtract_working_days(day, announcement_min)
        require(
            announcement_gap >= announcement_min,
            _(
                "A public hearing must be announced at least %(days)s working days before it: the latest date is %(date)s."
            ),
            "announcement_too_late",
            "announced_on",
            days=announcement_min,
            date=latest,
        )
    hearing.scheduled_for, hearing.place, hearing.notice_served_on = day, place, served
    hearing.is_public, hearing.announced_on = bool(is_public), announced
    hearing.save(
        update_fields=[
            "scheduled_for",
            "place",
            "notice_served_on",
            "is_public",
            "announced_on",
            "updated_at",
        ]
    )
    # The schedule clock (5 wd from the file) stops on the day the notice is served.
    stop_clocks(case, {ClockKind.HEARING_SCHEDULE}, served)
    log_step(
        case=case,
        actor=actor,
        action="hearing_scheduled",
        changes={
            "scheduled_for": day.isoformat(),
            "place": place,
            "announced_on": announced.isoformat() if announced else None,
        },
    )
    return hearing


@transaction.atomic
def record_hearing_held(*, actor: Any, case: Case, held_on: Any = None) -> Hearing:
    """The hearing took place: the report is due in 5 wd (第29条)."""
    case, hearing = _hearing(actor, case, "change")
    require(hearing.scheduled_for is not None, _("Schedule the hearing first."), "order")
    require(hearing.held_on is None, _("The hearing has already been held."), "done")
    on = clean_day(held_on, "held_on")
    hearing.held_on = on
    hearing.save(update_fields=["held_on", "updated_at"])
    start_clock(case=case, kind=ClockKind.HEARING_REPORT, started_on=on)
    log_step(case=case, actor=actor, action="hearing_held")
    return hearing


@transaction.atomic
def submit_hearing_report(*, actor: Any, case: Case, report: str, report_on: Any = None) -> Hearing:
    """The presiding officer's report; the decision clock resumes (hearing time excluded)."""
    case, hearing = _hearing(actor, case, "change")
    require(hearing.held_on is not None, _("The hearing has not been held yet."), "order")
    require(not hearing.report, _("The report has already been submitted."), "done")
    report = required_text(report, "report", _("Write the hearing report."))
    on = clean_day(report_on, "report_on")
    hearing.report, hearing.report_on = report, on
    hearing.save(update_fields=["report", "report_on", "updated_at"])
    stop_clocks(case, {ClockKind.HEARING_REPORT}, on)
    decision_clock = active_clock(case, ClockKind.DECISION)
    if decision_clock is not None and decision_clock.state == "paused":
        decision_clock.case = case
        resume_internal(decision_clock, on=on)
    log_step(case=case, actor=actor, action="hearing_report_submitted")
    return hearing

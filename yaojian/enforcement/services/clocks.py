"""Writes of clocks: start, stop, pause, resume, extensions (requested, approved, refused)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from yaojian.clocks import calendar
from yaojian.enforcement import clock_rules
from yaojian.enforcement.choices import ClockKind, ClockState, ExtensionState, PauseReason
from yaojian.enforcement.clocks import compute_due_on
from yaojian.enforcement.models import Case, CaseClock, ClockExtension, ClockPause
from yaojian.enforcement.services.common import (
    calendar_errors,
    clean_day,
    lock_case,
    log_step,
    require,
    required_text,
    today,
)


def start_clock(
    *,
    case: Case,
    kind: str,
    started_on: dt.date,
    department: Any = None,
    label: str = "",
    period: int | None = None,
) -> CaseClock:
    """Start a clock of ``kind`` on ``started_on`` (called by the services of each step)."""
    rule = clock_rules.RULES[kind]
    clock = CaseClock(
        case=case,
        kind=kind,
        unit=rule.unit,
        period=rule.period if period is None else period,
        started_on=started_on,
        due_on=started_on,
        department=department or case.department,
        label=label,
    )
    with calendar_errors():
        clock.due_on = compute_due_on_fresh(clock, today())
    clock.provisional = calendar.is_provisional(clock.started_on, clock.due_on)
    clock.save()
    refresh_case_due(case)
    return clock


def compute_due_on_fresh(clock: CaseClock, on: dt.date) -> dt.date:
    if clock.pk is None:
        from yaojian.enforcement.clocks import due_date

        return due_date(unit=clock.unit, started_on=clock.started_on, period=clock.period, today=on)
    return compute_due_on(clock, on)


def recompute(clock: CaseClock) -> CaseClock:
    with calendar_errors():
        clock.due_on = compute_due_on(clock, today())
    clock.provisional = calendar.is_provisional(clock.started_on, clock.due_on)
    clock.save(update_fields=["due_on", "provisional"])
    return clock


def recompute_provisional_clocks(years: list[int] | tuple[int, ...] | None = None) -> int:
    """Recompute every active clock computed with a provisional calendar (or whose period
    touches one of ``years``) — called when an administrator loads or changes a year's
    official schedule. Returns the number of clocks whose due date or flag changed. Each
    case's ``next_due_on`` follows; the change is logged as a case step by the system."""
    clocks = CaseClock.objects.exclude(state=ClockState.STOPPED).select_related("case")
    if years:
        low, high = min(years), max(years)
        clocks = clocks.filter(
            models.Q(provisional=True) | models.Q(started_on__year__lte=high, due_on__year__gte=low)
        )
    else:
        clocks = clocks.filter(provisional=True)
    changed = 0
    for clock in clocks.order_by("id"):
        with transaction.atomic():
            locked = (
                CaseClock.objects.select_for_update(no_key=True)
                .select_related("case")
                .get(pk=clock.pk)
            )
            before = (locked.due_on, locked.provisional)
            try:
                recompute(locked)
            except ValidationError:
                continue  # a year still not covered: left as it was
            if (locked.due_on, locked.provisional) != before:
                changed += 1
                refresh_case_due(locked.case)
                log_step(
                    case=locked.case,
                    actor=None,
                    action="clock_recomputed",
                    changes={
                        "clock": locked.kind,
                        "due_on": [before[0].isoformat(), locked.due_on.isoformat()],
                        "provisional": [before[1], locked.provisional],
                    },
                )
    return changed


def stop_clock(clock: CaseClock, on: dt.date) -> CaseClock:
    """Stop a clock: met if stopped on or before its due date."""
    if clock.state == ClockState.STOPPED:
        return clock
    open_pause = clock.pauses.filter(ended_on__isnull=True).first()
    if open_pause is not None:
        open_pause.ended_on = max(on, open_pause.started_on)
        open_pause.save(update_fields=["ended_on"])
        recompute(clock)
    clock.state = ClockState.STOPPED
    clock.stopped_on = on
    clock.met = on <= clock.due_on
    clock.save(update_fields=["state", "stopped_on", "met"])
    refresh_case_due(clock.case)
    return clock


def stop_clocks(case: Case, kinds: set[str] | None, on: dt.date) -> None:
    """Stop the case's active clocks of ``kinds`` (all of them for ``None``)."""
    clocks = case.clocks.exclude(state=ClockState.STOPPED)
    if kinds is not None:
        clocks = clocks.filter(kind__in=sorted(kinds))
    for clock in clocks:
        clock.case = case
        stop_clock(clock, on)


def active_clock(case: Case, kind: str) -> CaseClock | None:
    return case.clocks.exclude(state=ClockState.STOPPED).filter(kind=kind).order_by("-id").first()


def refresh_case_due(case: Case) -> None:
    """Copy the most urgent running clock onto the case (for sorting and filters)."""
    first = (
        CaseClock.objects.filter(case=case, state=ClockState.RUNNING)
        .order_by("due_on", "id")
        .values_list("due_on", "kind")
        .first()
    )
    due, kind = first if first else (None, "")
    if case.next_due_on != due or case.next_clock_kind != kind:
        case.next_due_on, case.next_clock_kind = due, kind
        Case.objects.filter(pk=case.pk).update(next_due_on=due, next_clock_kind=kind)


def _lock_clock(actor: Any, clock: CaseClock, action: str) -> tuple[Case, CaseClock]:
    case = lock_case(actor, clock.case, action)
    locked = CaseClock.objects.select_for_update(no_key=True).get(pk=clock.pk, case=case)
    locked.case = case
    return case, locked


def pause_internal(
    clock: CaseClock, *, reason: str, on: dt.date, actor: Any, note: str = ""
) -> None:
    require(
        clock.state == ClockState.RUNNING,
        _("Only a running clock can be paused."),
        "not_running",
    )
    ClockPause.objects.create(
        clock=clock, reason=reason, note=note, started_on=on, started_by=actor
    )
    clock.state = ClockState.PAUSED
    clock.save(update_fields=["state"])
    recompute(clock)
    refresh_case_due(clock.case)


def resume_internal(clock: CaseClock, *, on: dt.date) -> None:
    pause = clock.pauses.filter(ended_on__isnull=True).first()
    require(pause is not None, _("This clock is not paused."), "not_paused")
    assert pause is not None  # noqa: S101 (narrowing after require)
    require(
        on >= pause.started_on,
        _("A clock cannot resume before it was paused."),
        "resume_before_pause",
        "resumed_on",
    )
    pause.ended_on = on
    pause.save(update_fields=["ended_on"])
    clock.state = ClockState.RUNNING
    clock.save(update_fields=["state"])
    recompute(clock)
    refresh_case_due(clock.case)


@transaction.atomic
def pause_clock(
    *, actor: Any, clock: CaseClock, reason: str, paused_on: Any = None, note: str = ""
) -> CaseClock:
    """Pause a clock: suspension (中止), testing, hearing or announcement time is excluded."""
    case, clock = _lock_clock(actor, clock, "change")
    require(
        reason in PauseReason.values, _("Choose why the clock stops."), "invalid_choice", "reason"
    )
    on = clean_day(paused_on, "paused_on")
    pause_internal(clock, reason=reason, on=on, actor=actor, note=note)
    log_step(
        case=case,
        actor=actor,
        action="clock_paused",
        note=note,
        obj=case,
        changes={"clock": clock.kind, "reason": reason, "paused_on": on.isoformat()},
    )
    return clock


@transaction.atomic
def resume_clock(*, actor: Any, clock: CaseClock, resumed_on: Any = None) -> CaseClock:
    """Resume a paused clock; its due date moves by the excluded days."""
    case, clock = _lock_clock(actor, clock, "change")
    on = clean_day(resumed_on, "resumed_on")
    resume_internal(clock, on=on)
    log_step(
        case=case,
        actor=actor,
        action="clock_resumed",
        changes={"clock": clock.kind, "resumed_on": on.isoformat(), "due_on": str(clock.due_on)},
    )
    return clock


@transaction.atomic
def request_extension(
    *, actor: Any, clock: CaseClock, days: Any, reason: str, is_collective: bool = False
) -> ClockExtension:
    """Ask the head to extend a clock (the rule of its kind says by how much)."""
    case, clock = _lock_clock(actor, clock, "change")
    rule = clock_rules.RULES[clock.kind]
    require(clock.is_active, _("This clock has stopped."), "stopped")
    require(
        bool(rule.extension_key),
        _("This period cannot be extended."),
        "not_extendable",
    )
    reason = required_text(reason, "reason", _("Give the reason for the extension."))
    try:
        length = int(days) if days not in (None, "") else rule.extension
    except (TypeError, ValueError):
        length = 0
    require(length > 0, _("Enter a positive number of days."), "invalid", "days")
    approved = clock.extensions.filter(state=ExtensionState.APPROVED, is_collective=False).count()
    if is_collective:
        require(
            rule.collective,
            _("This period cannot be extended by a collective decision."),
            "not_collective",
            "is_collective",
        )
        require(
            approved >= rule.extensions,
            _("Use the head's extension first."),
            "collective_too_early",
            "is_collective",
        )
    else:
        require(
            approved < rule.extensions,
            _(
                "This period has already been extended; a further extension needs a "
                "collective decision of the heads."
            )
            if rule.collective
            else _("This period has already been extended as far as the law allows."),
            "extension_exhausted",
            "days",
        )
        require(
            length <= rule.extension,
            _("An extension of this period is at most %(limit)s days."),
            "too_long",
            "days",
            limit=rule.extension,
        )
    require(
        not clock.extensions.filter(state=ExtensionState.REQUESTED).exists(),
        _("An extension of this clock is already waiting for approval."),
        "pending",
    )
    extension = ClockExtension.objects.create(
        clock=clock,
        days=length,
        reason=reason,
        is_collective=is_collective,
        requested_by=actor,
        requested_on=today(),
    )
    log_step(
        case=case,
        actor=actor,
        action="extension_requested",
        note=reason,
        changes={"clock": clock.kind, "days": length, "collective": is_collective},
    )
    return extension


@transaction.atomic
def decide_extension(*, actor: Any, extension: ClockExtension, approve: bool) -> ClockExtension:
    """The head approves (the due date moves) or refuses a requested extension."""
    case, clock = _lock_clock(actor, extension.clock, "approve")
    extension = ClockExtension.objects.select_for_update(no_key=True).get(
        pk=extension.pk, clock=clock
    )
    require(
        extension.state == ExtensionState.REQUESTED,
        _("This extension has already been decided."),
        "decided",
    )
    extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    extension.decided_by = actor
    extension.decided_on = today()
    extension.save(update_fields=["state", "decided_by", "decided_on"])
    if approve:
        recompute(clock)
        refresh_case_due(case)
    log_step(
        case=case,
        actor=actor,
        action="extension_approved" if approve else "extension_refused",
        changes={"clock": clock.kind, "days": extension.days, "due_on": str(clock.due_on)},
    )
    return extension


__all__ = [
    "ClockKind",
    "active_clock",
    "decide_extension",
    "pause_clock",
    "refresh_case_due",
    "request_extension",
    "resume_clock",
    "start_clock",
    "stop_clock",
    "stop_clocks",
]

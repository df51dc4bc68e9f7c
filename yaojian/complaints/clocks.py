"""The clocks of a complaint or report (DOMAIN.md §2.3), computed from its dates in working
days (``yaojian.clocks.calendar``); every period is configuration (``conf.py``).

* ``accept``: accept or refuse a complaint within 7 wd of receipt (第14条).
* ``mediation``: mediation ends 45 wd after acceptance, testing days excluded (第21条).
* ``notify_parties``: both parties told within 7 wd of the end of mediation (第21条).
* ``verify``: a report verified and the opening decided within 15 wd (第31条; 处罚程序 第18条).
* ``tell_reporter``: a real-name reporter told the opening decision within 5 wd (第31条).
* ``dispute``: a jurisdiction dispute settled within 7 wd, else the common superior designates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from yaojian.clocks import calendar
from yaojian.complaints import conf
from yaojian.complaints.choices import Kind, State

LABELS = {
    "accept": _("Accept or refuse"),
    "mediation": _("Mediation ends"),
    "notify_parties": _("Tell both parties"),
    "verify": _("Verify and decide on a case"),
    "tell_reporter": _("Tell the reporter the decision"),
    "dispute": _("Settle the jurisdiction dispute"),
}


@dataclass(frozen=True)
class Clock:
    key: str
    started_on: dt.date
    due_on: dt.date
    done_on: dt.date | None

    @property
    def label(self) -> Any:
        return LABELS[self.key]

    def status(self, today: dt.date) -> str:
        """on_time / due_soon / overdue, or done / done_late once stopped."""
        if self.done_on is not None:
            return "done_late" if self.done_on > self.due_on else "done"
        if today > self.due_on:
            return "overdue"
        if today >= _soon(self.due_on):
            return "due_soon"
        return "on_time"


def _soon(due_on: dt.date) -> dt.date:
    try:
        return calendar.subtract_working_days(due_on, conf.days("due_soon_days"))
    except calendar.CalendarNotCoveredError:
        return due_on - dt.timedelta(days=conf.days("due_soon_days"))


def add_wd(start: dt.date, days: int) -> dt.date:
    """``start`` plus ``days`` working days (calendar days past the covered years)."""
    try:
        return calendar.add_working_days(start, days)
    except calendar.CalendarNotCoveredError:
        return start + dt.timedelta(days=round(days * 7 / 5))


def clocks_of(complaint: Any) -> list[Clock]:
    """Every clock that has started for ``complaint``, in the order they start."""
    out: list[Clock] = []
    c = complaint
    if c.state == State.DUPLICATE:
        return out
    if c.dispute_raised_on is not None:
        out.append(
            Clock(
                "dispute",
                c.dispute_raised_on,
                add_wd(c.dispute_raised_on, conf.days("dispute_days")),
                c.dispute_resolved_on,
            )
        )
    if c.kind == Kind.COMPLAINT:
        out.append(
            Clock(
                "accept",
                c.received_on,
                add_wd(c.received_on, conf.days("accept_days")),
                c.decided_on,
            )
        )
        if c.mediation_started_on is not None:
            due = add_wd(c.mediation_started_on, conf.days("mediation_days") + c.testing_days)
            out.append(Clock("mediation", c.mediation_started_on, due, c.mediation_ended_on))
        if c.mediation_ended_on is not None:
            due = add_wd(c.mediation_ended_on, conf.days("notify_parties_days"))
            out.append(Clock("notify_parties", c.mediation_ended_on, due, c.parties_notified_on))
        return out
    out.append(
        Clock(
            "verify",
            c.received_on,
            add_wd(c.received_on, conf.days("verify_report_days")),
            c.opening_decided_on,
        )
    )
    if c.opening_decided_on is not None and not c.is_anonymous:
        due = add_wd(c.opening_decided_on, conf.days("tell_reporter_days"))
        out.append(Clock("tell_reporter", c.opening_decided_on, due, c.reporter_told_on))
    return out


def next_due(complaint: Any) -> Clock | None:
    """The running clock due first."""
    running = [clock for clock in clocks_of(complaint) if clock.done_on is None]
    return min(running, key=lambda clock: clock.due_on, default=None)


def refresh(complaint: Any) -> list[str]:
    """Set ``due_on``/``clock_kind`` from the running clocks; returns the changed fields."""
    clock = next_due(complaint)
    due, kind = (clock.due_on, clock.key) if clock else (None, "")
    if complaint.due_on == due and complaint.clock_kind == kind:
        return []
    complaint.due_on, complaint.clock_kind = due, kind
    return ["due_on", "clock_kind"]

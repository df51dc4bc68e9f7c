"""The clocks of a referral (DOMAIN.md §2.7), computed from the times of its steps.

Defaults (``settings.REFERRAL_CLOCKS`` overrides any key):

============================  =====  ==============================================
head decides on the transfer   3 d   国务院令第310号 第5条
transfer after approval        24 h  第5条
police forward (not theirs)    24 h  第7条 (from the receipt; a late forward is marked)
police decide on a case        3 d   第8条; 10 d complex, 30 d major-complex with
                                     approval (2023 NMPA/SAMR/MPS rules, [M])
agency asks reconsideration    3 d   第9条 (from the police answer)
police decide reconsideration  3 d   第9条
agency asks the procuratorate  3 d   第9条 (from the upheld refusal)
hand over seized items         3 d   第12条 (from the police opening a case)
============================  =====  ==============================================

Day periods start the day after the event and end at the end of the last day (Asia/Shanghai);
with ``roll_forward`` (default) a last day that is a holiday moves to the next working day
(the holiday calendar of ``yaojian.clocks``; years it does not cover are not rolled).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.clocks.calendar import CalendarNotCoveredError, add_days
from yaojian.referrals.choices import ReferralState

DEFAULTS: dict[str, Any] = {
    "decide_days": 3,
    "transfer_hours": 24,
    "forward_hours": 24,
    "police_review_days": {"ordinary": 3, "complex": 10, "major": 30},
    "reconsideration_request_days": 3,
    "reconsideration_decision_days": 3,
    "supervision_request_days": 3,
    "handover_days": 3,
    "warn_hours": 24,
    "roll_forward": True,
}


def config() -> dict[str, Any]:
    """The clock parameters: defaults overridden by ``settings.REFERRAL_CLOCKS``."""
    merged = dict(DEFAULTS)
    merged.update(getattr(settings, "REFERRAL_CLOCKS", {}) or {})
    return merged


@dataclass(frozen=True)
class ReferralClock:
    """One clock: when it started, when it is due, when (if) it stopped."""

    key: str
    label: Any
    started_at: dt.datetime
    due_at: dt.datetime
    done_at: dt.datetime | None

    def status(self, now: dt.datetime) -> str:
        """``done``, ``done_late``, ``overdue``, ``due_soon`` or ``running``."""
        if self.done_at is not None:
            return "done_late" if self.done_at > self.due_at else "done"
        if now > self.due_at:
            return "overdue"
        warn = dt.timedelta(hours=int(config()["warn_hours"]))
        return "due_soon" if self.due_at - now <= warn else "running"


def due_after_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end of the ``days``-th day after ``start`` (local time), rolled past holidays."""
    local = timezone.localtime(start).date()
    last = local + dt.timedelta(days=days)
    if config()["roll_forward"]:
        with contextlib.suppress(CalendarNotCoveredError):
            last = add_days(local, days, roll_forward=True)
    end = dt.datetime.combine(last, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())
    return end


def due_after_hours(start: dt.datetime, hours: int) -> dt.datetime:
    """``hours`` after ``start``."""
    return start + dt.timedelta(hours=hours)


def referral_clocks(referral: Any) -> list[ReferralClock]:
    """The clocks that have started for ``referral``, in order."""
    cfg = config()
    r = referral
    clocks: list[ReferralClock] = [
        ReferralClock(
            "decide",
            _("Head's decision (3 days)"),
            r.reported_at,
            due_after_days(r.reported_at, cfg["decide_days"]),
            r.decided_at,
        )
    ]
    if r.decided_at and r.state != ReferralState.REFUSED:
        clocks.append(
            ReferralClock(
                "transfer",
                _("Transfer to the police (24 hours)"),
                r.decided_at,
                due_after_hours(r.decided_at, cfg["transfer_hours"]),
                r.transferred_at,
            )
        )
    if r.transferred_at:
        days = cfg["police_review_days"].get(r.complexity, 3)
        start = r.forwarded_at or r.transferred_at  # a forwarded case: from the forwarding
        clocks.append(
            ReferralClock(
                "police_review",
                _("Police decision on opening a case"),
                start,
                due_after_days(start, days),
                r.answered_at,
            )
        )
    if r.answered_at and r.state in (
        ReferralState.DECLINED,
        ReferralState.RECONSIDERATION,
        ReferralState.UPHELD,
        ReferralState.SUPERVISION,
    ):
        clocks.append(
            ReferralClock(
                "request_reconsideration",
                _("Request for reconsideration (3 days)"),
                r.answered_at,
                due_after_days(r.answered_at, cfg["reconsideration_request_days"]),
                r.reconsideration_requested_at,
            )
        )
    if r.reconsideration_requested_at:
        clocks.append(
            ReferralClock(
                "decide_reconsideration",
                _("Police decision on the reconsideration (3 days)"),
                r.reconsideration_requested_at,
                due_after_days(
                    r.reconsideration_requested_at, cfg["reconsideration_decision_days"]
                ),
                r.reconsideration_decided_at,
            )
        )
    if r.reconsideration_decided_at and r.state in (
        ReferralState.UPHELD,
        ReferralState.SUPERVISION,
    ):
        clocks.append(
            ReferralClock(
                "request_supervision",
                _("Request to the procuratorate (3 days)"),
                r.reconsideration_decided_at,
                due_after_days(r.reconsideration_decided_at, cfg["supervision_request_days"]),
                r.supervision_requested_at,
            )
        )
    accepted_at = _accepted_at(r)
    if accepted_at:
        clocks.append(
            ReferralClock(
                "hand_over",
                _("Hand-over of seized items (3 days)"),
                accepted_at,
                due_after_days(accepted_at, cfg["handover_days"]),
                r.handed_over_at,
            )
        )
    return clocks


def _accepted_at(r: Any) -> dt.datetime | None:
    if r.state not in (ReferralState.ACCEPTED, ReferralState.HANDED_OVER):
        return None
    return r.reconsideration_decided_at or r.answered_at  # type: ignore[no-any-return]


def next_due(referral: Any, now: dt.datetime | None = None) -> ReferralClock | None:
    """The running clock that falls due first, if any."""
    running = [c for c in referral_clocks(referral) if c.done_at is None]
    return min(running, key=lambda c: c.due_at) if running else None

"""The referral page's stepper: report → decision → transfer → receipt → answer → hand-over."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yaojian.referrals.choices import ReferralState

register = template.Library()

STEPS: list[tuple[str, Any]] = [
    ("report", _("Transfer report")),
    ("approval", _("Head's approval")),
    ("transfer", _("Transfer")),
    ("receipt", _("Police receipt")),
    ("answer", _("Police answer")),
    ("handover", _("Hand-over")),
    ("closure", pgettext_lazy("referral state", "Closed")),
]
_ORDER = [key for key, _label in STEPS]

# state → (the step it stands at, whether the path ended there)
CURRENT_STEP: dict[str, tuple[str, bool]] = {
    ReferralState.REPORTED: ("approval", False),
    ReferralState.REFUSED: ("approval", True),
    ReferralState.APPROVED: ("transfer", False),
    ReferralState.TRANSFERRED: ("receipt", False),
    ReferralState.RECEIVED: ("answer", False),
    ReferralState.ACCEPTED: ("handover", False),
    ReferralState.DECLINED: ("answer", False),
    ReferralState.RECONSIDERATION: ("answer", False),
    ReferralState.UPHELD: ("answer", False),
    ReferralState.SUPERVISION: ("answer", False),
    ReferralState.HANDED_OVER: ("closure", False),
    ReferralState.CLOSED: ("closure", False),
}


@register.simple_tag
def referral_stepper(referral: Any) -> list[dict[str, Any]]:
    """``{% referral_stepper referral as steps %}``; the current step carries the state's label."""
    key, ended = CURRENT_STEP.get(referral.state, ("report", False))
    current = _ORDER.index(key)
    steps = []
    for index, (step, label) in enumerate(STEPS):
        if index < current:
            state = "done"
        elif index == current:
            state = "current"
            label = referral.get_state_display()
        else:
            state = "skipped" if ended else "todo"
        steps.append({"key": step, "label": label, "state": state})
    return steps

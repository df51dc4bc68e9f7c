"""The case page's stepper: the eleven stages of a case and where this one stands."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yaojian.enforcement.choices import CaseStage
from yaojian.enforcement.models import Hearing

register = template.Library()

# The eleven steps of the procedure (市场监督管理行政处罚程序规定), in order.
STEPS: list[tuple[str, Any]] = [
    ("clue", _("Clue")),
    ("verification", _("Verification")),
    ("filing", _("Filing")),
    ("investigation", _("Investigation")),
    ("review", _("Legal review")),
    ("notice", _("Notice")),
    ("hearing", pgettext_lazy("case stage", "Hearing")),
    ("decision", _("Decision")),
    ("service", _("Service")),
    ("execution", _("Execution")),
    ("closure", _("Closure")),
]

# The step each stage of a case stands at.
CURRENT_STEP: dict[str, str] = {
    CaseStage.CLUE: "clue",
    CaseStage.VERIFICATION: "verification",
    CaseStage.NOT_FILED: "filing",
    CaseStage.INVESTIGATION: "investigation",
    CaseStage.REVIEW: "review",
    CaseStage.NOTICE: "notice",
    CaseStage.HEARING: "hearing",
    CaseStage.DECIDED: "decision",
    CaseStage.EXECUTION: "execution",
    CaseStage.CLOSED: "closure",
}
_ORDER = [key for key, _label in STEPS]


def case_steps(stage: str, *, had_hearing: bool) -> list[dict[str, Any]]:
    """The steps with their state: ``done``, ``current``, ``todo`` or ``skipped`` (a hearing
    nobody asked for; everything after a case that was not filed)."""
    current = _ORDER.index(CURRENT_STEP.get(stage, "clue"))
    not_filed = stage == CaseStage.NOT_FILED
    steps = []
    for index, (key, label) in enumerate(STEPS):
        if index < current:
            state = "skipped" if key == "hearing" and not had_hearing else "done"
        elif index == current:
            state = "current"
        else:
            state = "skipped" if not_filed else "todo"
        if key == "filing" and not_filed:
            label = CaseStage.NOT_FILED.label
        steps.append({"key": key, "label": label, "state": state})
    return steps


@register.simple_tag
def case_stepper(case: Any) -> list[dict[str, Any]]:
    """``{% case_stepper case as steps %}`` — one query at most (was there a hearing?)."""
    past_hearing = _ORDER.index(CURRENT_STEP.get(case.stage, "clue")) > _ORDER.index("hearing")
    had_hearing = past_hearing and Hearing.objects.filter(case=case).exists()
    return case_steps(case.stage, had_hearing=had_hearing)


@register.simple_tag
def clock_status(level: str, met: Any = None) -> str:
    """The clock badge status for an enforcement clock level (``ok`` → ``on_time``; a stopped
    clock is ``met`` or ``missed``)."""
    if level == "ok":
        return "on_time"
    if level == "stopped":
        return "met" if met else "missed"
    return level

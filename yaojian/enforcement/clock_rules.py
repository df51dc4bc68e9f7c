"""Clock parameters (DOMAIN.md §2.1, §2.2): settings with defaults.

Override any of them in ``settings.ENFORCEMENT_CLOCKS`` (a dict); missing keys fall back
to :data:`DEFAULTS`. Each clock kind says how it counts, how long it runs, and what one
extension approved by the head adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from yaojian.enforcement.choices import ClockKind, ClockUnit

DEFAULTS: dict[str, Any] = {
    "verification_wd": 15,  # 第18条
    "verification_extension_wd": 15,
    "preservation_wd": 7,  # 第33条 先行登记保存
    "seizure_days": 30,  # 第37条 查封扣押
    "seizure_extension_days": 30,
    "review_wd": 10,  # 第55条
    "review_extension_wd": 10,
    "defence_wd": 5,  # 第58条
    "hearing_request_wd": 5,  # 听证办法 第7条
    "hearing_presiding_wd": 3,  # 第18条
    "hearing_file_wd": 3,  # 第19条
    "hearing_schedule_wd": 5,  # 第20条: time and place fixed within 5 wd of the file
    "hearing_notice_min_wd": 7,  # 第20条: notice at least 7 wd before
    "hearing_announcement_min_wd": 3,  # 第22条: public announcement at least 3 wd before
    "hearing_report_wd": 5,  # 第29条
    "decision_days": 90,  # 第64条
    "decision_extension_days": 30,
    "service_wd": 7,  # 第81条
    "payment_days": 15,  # 第72条
    "late_fee_rate_per_day": "0.03",  # 第75条: 3 % a day, capped at the fine
    "closure_wd": 15,  # 第77条
    "assistance_wd": 15,
    "joint_task_wd": 10,
    "due_soon_wd": 3,
    # 听证办法 第5条: fines, and confiscations (illegal gains and illegal property together),
    # from which a hearing may be requested — each compared with its own threshold. Provinces
    # may set other amounts: ``settings.PROVINCIAL_RULES`` (see :func:`provincial`).
    "hearing_fine_person": 10_000,
    "hearing_fine_organisation": 100_000,
    "hearing_confiscation_person": 10_000,
    "hearing_confiscation_organisation": 100_000,
}

# The keys a province may set (DOMAIN.md §5.4); :func:`provincial` reads them.
PROVINCIAL_KEYS = frozenset(
    {
        "hearing_fine_person",
        "hearing_fine_organisation",
        "hearing_confiscation_person",
        "hearing_confiscation_organisation",
    }
)


def value(key: str) -> Any:
    """One parameter: ``settings.ENFORCEMENT_CLOCKS[key]`` or its default."""
    configured = getattr(settings, "ENFORCEMENT_CLOCKS", None) or {}
    return configured.get(key, DEFAULTS[key])


def provincial(key: str, region_code: str | None) -> Any:
    """A per-province parameter: ``PROVINCIAL_RULES[<province>][key]``, then the ``""`` row,
    then :func:`value` (``ENFORCEMENT_CLOCKS`` or the default)."""
    from yaojian.core.provinces import provincial_value

    return provincial_value(key, region_code, value(key))


def late_fee_rate() -> Decimal:
    return Decimal(str(value("late_fee_rate_per_day")))


@dataclass(frozen=True)
class ClockRule:
    """How a clock kind counts."""

    unit: str
    period_key: str | None
    extension_key: str | None = None
    # How many head-approved extensions are allowed; further ones need a collective decision
    # (``collective``) or are refused.
    extensions: int = 0
    collective: bool = False

    @property
    def period(self) -> int:
        return int(value(self.period_key)) if self.period_key else 0

    @property
    def extension(self) -> int:
        return int(value(self.extension_key)) if self.extension_key else 0


WD, DAYS = ClockUnit.WORKING_DAYS, ClockUnit.DAYS
RULES: dict[str, ClockRule] = {
    ClockKind.VERIFICATION: ClockRule(WD, "verification_wd", "verification_extension_wd", 1),
    ClockKind.PRESERVATION: ClockRule(WD, "preservation_wd"),
    ClockKind.SEIZURE: ClockRule(DAYS, "seizure_days", "seizure_extension_days", 1),
    ClockKind.REVIEW: ClockRule(WD, "review_wd", "review_extension_wd", 1),
    ClockKind.DEFENCE: ClockRule(WD, "defence_wd"),
    ClockKind.HEARING_REQUEST: ClockRule(WD, "hearing_request_wd"),
    ClockKind.HEARING_PRESIDING: ClockRule(WD, "hearing_presiding_wd"),
    ClockKind.HEARING_FILE: ClockRule(WD, "hearing_file_wd"),
    ClockKind.HEARING_SCHEDULE: ClockRule(WD, "hearing_schedule_wd"),
    ClockKind.HEARING_REPORT: ClockRule(WD, "hearing_report_wd"),
    ClockKind.DECISION: ClockRule(
        DAYS, "decision_days", "decision_extension_days", 1, collective=True
    ),
    ClockKind.SERVICE: ClockRule(WD, "service_wd"),
    ClockKind.PAYMENT: ClockRule(DAYS, "payment_days"),
    ClockKind.CLOSURE: ClockRule(WD, "closure_wd"),
    ClockKind.JOINT_TASK: ClockRule(WD, "joint_task_wd", "joint_task_wd", 1),
    ClockKind.ASSISTANCE: ClockRule(WD, "assistance_wd", "assistance_wd", 1),
}

"""The publication rules of 《市场监督管理行政处罚信息公示规定》 (DOMAIN.md §2.4), as pure code.

* Only 普通程序 decisions are published (第2条); warning-only penalties are not.
* Publish within 20 working days of the decision (第9条); withdraw within 3 working days of a
  change, revocation or declaration of nullity (第11条).
* Display for 3 months (通报批评 or a 较低数额罚款), for the restriction's term when a
  restriction on business or practice is longer than 3 years, and for 3 years otherwise
  (第13条).
* Early stop (第14条) needs a minimum period and the four conditions, and is never allowed for
  停产停业, restrictions of business or practice, 降级 or revocations.

The penalty kinds are ``enforcement.choices.PenaltyKind`` values; the portal may only read
enforcement's events, so the values it recognises are listed here (and can be extended in
settings, ``PORTAL_*_KINDS``). What a province sets (the low-fine threshold, the minimum period
before an early stop) is configuration with documented defaults.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings

from yaojian.core.provinces import provincial_value
from yaojian.portal.choices import DisplayRule

PUBLISH_WITHIN_WORKING_DAYS = 20  # 第9条 (same province)
WITHDRAW_WITHIN_WORKING_DAYS = 3  # 第11条

WARNING_KINDS = frozenset({"warning"})
CRITICISM_KINDS = frozenset({"criticism", "public_criticism"})  # 通报批评
FINE_KINDS = frozenset({"fine"})
# 停产停业, restrictions of business or practice, 降级, revocation of licences (第14条).
# enforcement.choices.PenaltyKind values first (suspend_business, revoke_licence, ban_person,
# agreement_termination), then other spellings partner systems may send.
NEVER_STOPPED_KINDS = frozenset(
    {
        "suspend_business",
        "revoke_licence",
        "ban_person",
        "agreement_termination",
        "suspension",
        "business_suspension",
        "business_restriction",
        "practice_ban",
        "ban",
        "person_ban",
        "downgrade",
        "qualification_downgrade",
        "licence_revocation",
        "business_licence_revocation",
        "closure",
    }
)

# [M] 较低数额罚款 is set by each province. Defaults: up to 1,000 yuan for a natural person,
# up to 10,000 yuan for an organisation; ``PORTAL_LOW_FINE_THRESHOLDS`` overrides them per
# province (two-digit code) with "" as the default.
DEFAULT_LOW_FINE_THRESHOLDS: dict[str, dict[str, Decimal]] = {
    "": {"person": Decimal("1000"), "organisation": Decimal("10000")},
}
# [M] 《市场监督管理信用修复管理办法》: commonly one year after publication.
DEFAULT_EARLY_STOP_MIN_DAYS = 365


def _kinds(setting: str, default: frozenset[str]) -> frozenset[str]:
    return default | frozenset(getattr(settings, setting, ()))


def warning_kinds() -> frozenset[str]:
    return _kinds("PORTAL_WARNING_KINDS", WARNING_KINDS)


def criticism_kinds() -> frozenset[str]:
    return _kinds("PORTAL_CRITICISM_KINDS", CRITICISM_KINDS)


def never_stopped_kinds() -> frozenset[str]:
    return _kinds("PORTAL_NEVER_STOPPED_KINDS", NEVER_STOPPED_KINDS)


def is_publishable(publication: Any) -> bool:
    """True if a ``PenaltyPublication`` must be published (普通程序, more than a warning)."""
    if publication is None or publication.simple_procedure:
        return False
    kinds = set(publication.penalty_kinds)
    return bool(kinds - warning_kinds())


def low_fine_threshold(region_code: str, *, is_person: bool) -> Decimal:
    """The province's 较低数额罚款 for a natural person or an organisation (inclusive).

    ``settings.PROVINCIAL_RULES[<province>]["low_fine_person" | "low_fine_organisation"]``
    first (the per-province table of ``core.provinces``), then the older
    ``PORTAL_LOW_FINE_THRESHOLDS``, then the defaults."""
    table = {**DEFAULT_LOW_FINE_THRESHOLDS, **getattr(settings, "PORTAL_LOW_FINE_THRESHOLDS", {})}
    row = table.get(region_code[:2]) or table[""]
    default_row = table[""]
    key = "person" if is_person else "organisation"
    legacy = Decimal(str(row.get(key, default_row[key])))
    return Decimal(str(provincial_value(f"low_fine_{key}", region_code, legacy)))


# [M] Whether the day of publication is the first day on display (第13条 counts the display
# period from publication; 程序规定 第80条 excludes the start day of periods). Default: it
# counts (the information is on display that day). ``PROVINCIAL_RULES[<province>]
# ["display_counts_publication_day"] = False`` starts the period on the next day.
DEFAULT_DISPLAY_COUNTS_PUBLICATION_DAY = True


def display_counts_publication_day(region_code: str) -> bool:
    return bool(
        provincial_value(
            "display_counts_publication_day", region_code, DEFAULT_DISPLAY_COUNTS_PUBLICATION_DAY
        )
    )


def display_rule(
    *,
    penalty_kinds: tuple[str, ...] | list[str],
    fine_amount: Decimal | None,
    restriction_years: int | None,
    region_code: str,
    party_is_person: bool,
    restriction_lifetime: bool = False,
) -> DisplayRule:
    """Which display period of 第13条 applies (a lifetime ban is longer than 3 years)."""
    if restriction_lifetime or (restriction_years is not None and restriction_years > 3):
        return DisplayRule.RESTRICTION_TERM
    kinds = set(penalty_kinds) - warning_kinds()
    light = criticism_kinds() | FINE_KINDS
    if kinds and kinds <= light:
        fine_is_low = fine_amount is None or fine_amount <= low_fine_threshold(
            region_code, is_person=party_is_person
        )
        if "fine" not in kinds or fine_is_low:
            return DisplayRule.THREE_MONTHS
    return DisplayRule.THREE_YEARS


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` months (the last day of a shorter month when it overflows)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# The "end" of a lifetime restriction: displayed for its actual term (no end date).
LIFETIME_DISPLAY_UNTIL = dt.date(9999, 12, 31)


def display_until(
    start: dt.date,
    rule: str,
    restriction_years: int | None,
    *,
    lifetime: bool = False,
    region_code: str = "",
) -> dt.date:
    """The last day on display, counting from the day of publication (inclusive by default;
    from the next day when the province says the publication day does not count)."""
    if rule == DisplayRule.RESTRICTION_TERM and lifetime:
        return LIFETIME_DISPLAY_UNTIL
    if not display_counts_publication_day(region_code):
        start += dt.timedelta(days=1)
    if rule == DisplayRule.THREE_MONTHS:
        months = 3
    elif rule == DisplayRule.RESTRICTION_TERM and restriction_years:
        months = 12 * restriction_years
    else:
        months = 36
    return add_months(start, months) - dt.timedelta(days=1)


def may_stop_early(penalty_kinds: list[str] | tuple[str, ...]) -> bool:
    """False for the kinds whose publication never stops early (第14条)."""
    return not (set(penalty_kinds) & never_stopped_kinds())


def early_stop_min_days() -> int:
    return int(getattr(settings, "PORTAL_EARLY_STOP_MIN_DAYS", DEFAULT_EARLY_STOP_MIN_DAYS))


def auto_publish() -> bool:
    """Publish at once when a decision arrives (default: queue for a department officer)."""
    return bool(getattr(settings, "PORTAL_AUTO_PUBLISH", False))


def auto_withdraw() -> bool:
    """Withdraw at once when a decision is revoked or void (default: yes)."""
    return bool(getattr(settings, "PORTAL_AUTO_WITHDRAW", True))

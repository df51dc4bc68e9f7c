"""Per-province configuration (DOMAIN.md §5.4): amounts and rules that each province sets.

``settings.PROVINCIAL_RULES`` is a dict keyed by the two-digit province code, with ``""`` for
every province without its own row::

    PROVINCIAL_RULES = {
        "": {"hearing_fine_person": 10000},
        "54": {"hearing_fine_person": 5000, "low_fine_organisation": 20000},
    }

:func:`provincial_value` reads a key for a region: the province's row, else the ``""`` row,
else the default the calling app passes (each app keeps its own documented defaults: the
hearing thresholds in ``enforcement/clock_rules.py``, the 较低数额罚款 and the display start
day in ``portal/rules.py``). Keys no app knows are ignored.

The keys of DOMAIN.md §5.4 whose defaults live here (no app of their own yet):

``licence_adjustment_digits``
    The 药品经营许可证 (2024 scheme) 地区代码 is the 3-digit long-distance code plus one
    provincial adjustment digit; each province publishes which digits it uses. A string of the
    allowed digits; default ``"0123456789"`` (any). Checked by the registry's licence-number
    validator for 9-digit numbers of the province.
``inspection_intervals_months``
    The longest interval between two routine inspections, in months, by group (DOMAIN.md
    §2.9: 药品生产办法 第55条, 总局令第84号); provinces may shorten them. Default
    :data:`INSPECTION_INTERVALS_MONTHS`.
``inspection_credit_factors``
    The credit modifier: the interval is multiplied by the factor of the entity's credit
    standing (第66条: a bad credit record means more frequent inspections). Default
    :data:`INSPECTION_CREDIT_FACTORS`.

:func:`inspection_interval_months` combines the last two for the inspection plans.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def province_of(region_code: str | None) -> str:
    """The two-digit province code of a region code ("" when none)."""
    return (region_code or "")[:2]


def provincial_value(key: str, region_code: str | None, default: Any) -> Any:
    """``key`` for the province of ``region_code``: its row, the default row, or ``default``."""
    table: dict[str, dict[str, Any]] = getattr(settings, "PROVINCIAL_RULES", None) or {}
    for row_key in (province_of(region_code), ""):
        row = table.get(row_key) or {}
        if key in row:
            return row[key]
    return default


# --- DOMAIN.md §5.4 keys without an app of their own ----------------------------------------

LICENCE_ADJUSTMENT_DIGITS = "0123456789"

# Longest interval between routine inspections (months), DOMAIN.md §2.9.
INSPECTION_INTERVALS_MONTHS: dict[str, int] = {
    "controlled_manufacturer": 3,  # 麻精药品、易制毒: ≥ once a quarter
    "high_risk_manufacturer": 12,  # 疫苗、血液制品、放射性、毒性、无菌: GMP yearly
    "manufacturer": 36,  # every other manufacturer within 3 years
    "supplier": 60,  # 辅料、包材、原料药 suppliers within 5 years
    "controlled_distributor": 6,  # 麻精药品、易制毒 distributors: every 6 months
    "high_risk_distributor": 12,  # 冷链、血液制品、细胞治疗、二类精神、毒性: yearly
    "distributor": 36,  # other distributors within 3 years
    "vaccine_site": 12,  # 疾控 and vaccination sites: yearly
    "medical_institution": 36,  # purchasing, acceptance, storage within 3 years
}
# Interval multiplier by credit standing (第66条; 严重违法失信名单 第15条 重点监管).
INSPECTION_CREDIT_FACTORS: dict[str, float] = {
    "good": 1.0,
    "bad_record": 0.5,
    "serious_dishonesty": 0.25,
}


def licence_adjustment_digits(region_code: str | None) -> str:
    """The adjustment digits a province's 药品经营许可证 area codes may end with."""
    return str(
        provincial_value("licence_adjustment_digits", region_code, LICENCE_ADJUSTMENT_DIGITS)
    )


def inspection_interval_months(region_code: str | None, group: str, credit: str = "good") -> int:
    """The longest interval (months, at least 1) between routine inspections of an entity of
    ``group`` with ``credit`` standing in the province of ``region_code``.

    A province's row may give only some groups or factors; the others keep their defaults.
    Raises ``KeyError`` for a group or credit standing nobody defines.
    """
    intervals = {
        **INSPECTION_INTERVALS_MONTHS,
        **provincial_value("inspection_intervals_months", region_code, {}),
    }
    factors = {
        **INSPECTION_CREDIT_FACTORS,
        **provincial_value("inspection_credit_factors", region_code, {}),
    }
    return max(1, round(int(intervals[group]) * float(factors[credit])))

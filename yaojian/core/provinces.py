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

The inspection intervals and their statutory floors (DOMAIN.md §2.9) are the inspections app's
per-province configuration (``yaojian/inspections/rating.py``), not keys here.
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


def licence_adjustment_digits(region_code: str | None) -> str:
    """The adjustment digits a province's 药品经营许可证 area codes may end with."""
    return str(
        provincial_value("licence_adjustment_digits", region_code, LICENCE_ADJUSTMENT_DIGITS)
    )

"""Every period, limit and reward rate of the complaints app is configuration (DOMAIN.md §0:
the 2019 rules of 总局令第20号 were replaced by 总局令第121号 in 2026; the defaults below are the
2019 values until each is re-checked).

``settings.COMPLAINTS`` overrides any key::

    COMPLAINTS = {"accept_days": 7, "reward_tiers": {"1": {"rate": "0.05", "floor": 5000}}}
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Clocks, in working days (总局令第20号 第14、21、31条; penalty procedure 第18条).
    "accept_days": 7,  # accept or refuse a complaint
    "mediation_days": 45,  # mediation ends (testing time excluded)
    "notify_parties_days": 7,  # both parties told after mediation ends
    "verify_report_days": 15,  # a report: verify and decide whether to open a case
    "tell_reporter_days": 5,  # a real-name reporter told the opening decision
    "dispute_days": 7,  # a jurisdiction dispute settled, else the common superior designates
    "due_soon_days": 2,  # "due soon" on the work lists
    "refusal_years": 3,  # more than 3 years since the complainant knew: a ground for refusal
    # Abuse protection of the public forms.
    "per_address_per_hour": 5,
    "per_contact_per_day": 5,
    "track_failures_per_hour": 20,
    "duplicate_days": 30,
    "duplicate_similarity": 0.8,
    "max_text_chars": 4000,
    "max_attachments": 3,
    "max_attachment_bytes": 5 * 1024 * 1024,
    # Rewards (《市场监管领域重大违法行为举报奖励暂行办法》, 2021; ANCHORS.md §8f).
    "reward_tiers": {
        "1": {"rate": "0.05", "floor": 5000},
        "2": {"rate": "0.03", "floor": 3000},
        "3": {"rate": "0.01", "floor": 1000},
    },
    "reward_cap": 1_000_000,
    "reward_finance_threshold": 500_000,
    "reward_insider_uplift": "0.5",  # insiders: +50 % before the cap
}


def value(key: str) -> Any:
    """The configured value of ``key`` (``settings.COMPLAINTS`` or the default)."""
    overrides: dict[str, Any] = getattr(settings, "COMPLAINTS", None) or {}
    return overrides.get(key, DEFAULTS[key])


def days(key: str) -> int:
    return int(value(key))


def money(key: str) -> Decimal:
    return Decimal(str(value(key)))

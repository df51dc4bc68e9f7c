"""The reward calculation (《市场监管领域重大违法行为举报奖励暂行办法》, ANCHORS.md §8f):
the tier's share of the fines and confiscations, at least the tier's floor, raised for
insiders, never above the cap; at or above the threshold the finance department signs off.
Every number is configuration (``conf.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from yaojian.complaints import conf

CENT = Decimal("0.01")


@dataclass(frozen=True)
class RewardFigure:
    tier: str
    basis: Decimal
    rate: Decimal
    floor: Decimal
    amount: Decimal
    capped: bool
    needs_finance_approval: bool


def compute_reward(*, basis: Decimal, tier: str, insider: bool = False) -> RewardFigure:
    """The reward for ``basis`` (fines plus confiscations) at ``tier`` ("1", "2" or "3")."""
    tiers = conf.value("reward_tiers")
    if tier not in tiers:
        raise ValueError(f"unknown reward tier {tier!r}")
    rate = Decimal(str(tiers[tier]["rate"]))
    floor = Decimal(str(tiers[tier]["floor"]))
    basis = max(Decimal(basis), Decimal(0))
    amount = max((basis * rate).quantize(CENT, rounding=ROUND_HALF_UP), floor)
    if insider:
        uplift = Decimal(1) + conf.money("reward_insider_uplift")
        amount = (amount * uplift).quantize(CENT, rounding=ROUND_HALF_UP)
    cap = conf.money("reward_cap")
    capped = amount > cap
    amount = min(amount, cap)
    return RewardFigure(
        tier=tier,
        basis=basis,
        rate=rate,
        floor=floor,
        amount=amount,
        capped=capped,
        needs_finance_approval=amount >= conf.money("reward_finance_threshold"),
    )

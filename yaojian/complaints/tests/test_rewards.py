"""The reward at each tier boundary: share, floor, insider uplift, cap, approval threshold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yaojian.complaints.rewards import compute_reward


@pytest.mark.parametrize(
    ("tier", "basis", "amount"),
    [
        ("1", "0", "5000.00"),
        ("1", "99999.99", "5000.00"),  # 4 999.9995 → the floor
        ("1", "100000", "5000.00"),  # exactly the floor
        ("1", "100000.20", "5000.01"),
        ("2", "99999", "3000.00"),
        ("2", "100000", "3000.00"),
        ("2", "100100", "3003.00"),
        ("3", "99999", "1000.00"),
        ("3", "100000", "1000.00"),
        ("3", "250000", "2500.00"),
        ("1", "20000000", "1000000.00"),  # exactly the cap
        ("1", "30000000", "1000000.00"),  # capped
    ],
)
def test_reward_by_tier(tier: str, basis: str, amount: str) -> None:
    assert compute_reward(basis=Decimal(basis), tier=tier).amount == Decimal(amount)


def test_cap_is_flagged() -> None:
    assert compute_reward(basis=Decimal("20000000"), tier="1").capped is False
    assert compute_reward(basis=Decimal("20000020"), tier="1").capped is True


def test_finance_approval_from_the_threshold() -> None:
    assert not compute_reward(basis=Decimal("9999980"), tier="1").needs_finance_approval
    assert compute_reward(basis=Decimal("10000000"), tier="1").needs_finance_approval


def test_insider_uplift_applies_before_the_cap() -> None:
    assert compute_reward(basis=Decimal("100000"), tier="1", insider=True).amount == Decimal(
        "7500.00"
    )
    assert compute_reward(basis=Decimal("0"), tier="3", insider=True).amount == Decimal("1500.00")
    assert compute_reward(basis=Decimal("15000000"), tier="1", insider=True).amount == Decimal(
        "1000000.00"
    )


def test_tiers_are_configuration(settings: pytest.FixtureRequest) -> None:
    settings.COMPLAINTS = {  # type: ignore[attr-defined]
        "reward_tiers": {"1": {"rate": "0.06", "floor": 6000}},
        "reward_cap": 500000,
    }
    assert compute_reward(basis=Decimal("200000"), tier="1").amount == Decimal("12000.00")
    assert compute_reward(basis=Decimal("20000000"), tier="1").amount == Decimal("500000.00")
    with pytest.raises(ValueError, match="unknown reward tier"):
        compute_reward(basis=Decimal("1"), tier="2")

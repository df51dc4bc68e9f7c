"""Capacity what-if: can the inspectors meet the plan and the statutory floors in a year?

For each scenario (a rating threshold: inspect every entity rated at least X as its interval
requires, and a draw proportion of the rest), the simulation counts the inspections a year
needs, the hours they take (per inspection kind) against the hours the inspectors have, which
entities the plan reaches (highest risk first when hours run short), whether every entity's
statutory floor is met, and the risk points left uncovered. Pure: numbers in, numbers out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

RANK = {"low": 0, "medium": 1, "high": 2}
HOURS = {  # hours per inspection, team included, by inspection kind
    "gsp_pharmacy": 6,
    "gsp_wholesale": 16,
    "medical_use": 10,
    "cold_chain": 12,
    "tibetan_preparation": 14,
}
YEAR_HOURS = 1000  # on-site hours an inspector gives a year (after travel, writing, training)
TEAM = 2


@dataclass(frozen=True)
class Unit:
    """One rated entity as the simulation needs it."""

    rating: str
    interval_months: int
    floor_months: int
    kind: str  # inspection kind
    risk_points: int


@dataclass(frozen=True)
class Scenario:
    threshold: str  # "low", "medium" or "high": rated at least this → full frequency
    proportion: Decimal  # % of the others drawn at random


@dataclass(frozen=True)
class Outcome:
    scenario: Scenario
    inspections_needed: int
    hours_needed: int
    hours_available: int
    inspections_done: int
    entities_reached: int
    floors_missed: int
    risk_uncovered: int
    feasible: bool


def simulate(
    units: Sequence[Unit],
    scenarios: Sequence[Scenario],
    *,
    inspectors: int,
    year_hours: int = YEAR_HOURS,
    team: int = TEAM,
    hours: dict[str, int] | None = None,
) -> list[Outcome]:
    """One outcome per scenario, side by side."""
    hours = hours or HOURS
    available = inspectors * year_hours
    ordered = sorted(units, key=lambda u: (-u.risk_points, u.interval_months))
    outcomes = []
    for scenario in scenarios:
        threshold = RANK[scenario.threshold]
        share = float(scenario.proportion) / 100
        left = float(available)
        needed_hours = 0.0
        needed_visits = 0.0
        done = 0.0
        reached = 0
        missed = 0
        uncovered = 0
        for unit in ordered:
            wanted = 12 / unit.interval_months if RANK.get(unit.rating, 0) >= threshold else share
            visits = max(wanted, 12 / unit.floor_months)  # the floor is never negotiable
            cost = visits * hours.get(unit.kind, 8) * team
            needed_hours += cost
            needed_visits += visits
            if cost <= left:
                left -= cost
                done += visits
                reached += 1
            else:
                missed += 1
                uncovered += unit.risk_points
        outcomes.append(
            Outcome(
                scenario=scenario,
                inspections_needed=math.ceil(needed_visits),
                hours_needed=math.ceil(needed_hours),
                hours_available=available,
                inspections_done=math.floor(done),
                entities_reached=reached,
                floors_missed=missed,
                risk_uncovered=uncovered,
                feasible=missed == 0,
            )
        )
    return outcomes

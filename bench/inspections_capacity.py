"""The capacity what-if for a province of 60,000 entities (issue 12): target under 30 s.

    uv run python bench/inspections_capacity.py [--entities 60000] [--inspectors 300]

Pure computation (no database): ``--entities`` worksheets from the demo's mix of entity kinds
and product classes (``rating.rate``), then ``capacity.simulate`` for three rating thresholds ×
three draw proportions side by side. Results: var/bench/inspections_capacity.json.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

KINDS = [
    ("single_pharmacy", 45),
    ("chain_store", 25),
    ("clinic", 15),
    ("hospital", 5),
    ("wholesaler", 4),
    ("tibetan_medicine", 3),
    ("manufacturer", 1),
    ("device_business", 2),
]
CLASSES = [
    ("", 80),
    ("cold_chain", 8),
    ("psychotropic", 3),
    ("vaccine", 3),
    ("toxic", 2),
    ("tibetan_preparation", 4),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=60000)
    parser.add_argument("--inspectors", type=int, default=300)
    args = parser.parse_args()
    sys.path.insert(0, str(harness.ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaojian.settings")
    import django

    django.setup()
    from yaojian.inspections import capacity, rating
    from yaojian.inspections.checklists import default_kind_for

    rng = random.Random(12)
    config = rating.merge(None)
    load = harness.load_average()
    started = time.monotonic()
    kinds = rng.choices([k for k, _w in KINDS], [w for _k, w in KINDS], k=args.entities)
    classes = rng.choices([c for c, _w in CLASSES], [w for _c, w in CLASSES], k=args.entities)
    units = []
    for kind, cls in zip(kinds, classes, strict=True):
        sheet = rating.rate(
            rating.Inputs(
                kind=kind,
                classes=frozenset({cls} - {""}),
                major=rng.random() < 0.1,
                critical=rng.random() < 0.02,
            ),
            config,
        )
        units.append(
            capacity.Unit(
                sheet.rating,
                sheet.interval_months,
                sheet.floor_months,
                default_kind_for(kind),
                sheet.intrinsic * sheet.compliance,
            )
        )
    rated = time.monotonic() - started
    scenarios = [
        capacity.Scenario(t, Decimal(p))
        for t in ("high", "medium", "low")
        for p in ("3", "5", "10")
    ]
    started = time.monotonic()
    outcomes = capacity.simulate(units, scenarios, inspectors=args.inspectors)
    simulated = time.monotonic() - started
    result = {
        "entities": args.entities,
        "inspectors": args.inspectors,
        "scenarios": len(scenarios),
        "rating_seconds": round(rated, 2),
        "simulation_seconds": round(simulated, 2),
        "total_seconds": round(rated + simulated, 2),
        "outcomes": [
            {
                "threshold": o.scenario.threshold,
                "proportion": str(o.scenario.proportion),
                "hours_needed": o.hours_needed,
                "hours_available": o.hours_available,
                "reached": o.entities_reached,
                "floors_missed": o.floors_missed,
            }
            for o in outcomes
        ],
        "load_before": load,
        "machine": harness.machine(),
    }
    harness.log(str({k: v for k, v in result.items() if k != "outcomes"}))
    harness.save("inspections_capacity", result)


if __name__ == "__main__":
    main()

"""The frequency engine: an explainable risk worksheet per entity (PIC/S PI 037-1 style).

intrinsic risk (entity kind + the riskiest product class it handles, 1–3)
× compliance (findings and cases of the last three years, credit grade, 1–3)
→ rating (low / medium / high) → interval in months, **never longer than the statutory floor**
of DOMAIN.md §2.9 for the entity's kind and product classes. Provinces override any number in
:data:`DEFAULTS` (``RiskConfig.settings``), except that a floor may only get shorter.

Pure functions: ids and numbers in, numbers out; :mod:`yaojian.inspections.services` reads the
database and stores the results.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ALGORITHM = "rating-v1"

MANUFACTURER = "manufacturer"
DISTRIBUTORS = frozenset({"wholesaler", "retail_chain_hq", "online_platform"})
RETAIL = frozenset({"chain_store", "single_pharmacy", "tibetan_medicine"})
MEDICAL = frozenset({"hospital", "clinic"})

# Statutory floors in months (DOMAIN.md §2.9): (rule key, applies to kinds, classes, months).
# The first rule that applies with the fewest months wins.
FLOOR_RULES: tuple[tuple[str, frozenset[str], frozenset[str], int], ...] = (
    (
        "manufacturer_controlled",
        frozenset({MANUFACTURER}),
        frozenset({"narcotic", "psychotropic", "precursor"}),
        3,
    ),
    (
        "manufacturer_high_risk",
        frozenset({MANUFACTURER}),
        frozenset({"vaccine", "blood_product", "radioactive", "toxic", "sterile"}),
        12,
    ),
    ("manufacturer_other", frozenset({MANUFACTURER}), frozenset(), 36),
    (
        "distributor_controlled",
        DISTRIBUTORS | RETAIL,
        frozenset({"narcotic", "psychotropic", "precursor"}),
        6,
    ),
    (
        "distributor_high_risk",
        DISTRIBUTORS | RETAIL,
        frozenset({"cold_chain", "blood_product", "toxic", "vaccine"}),
        12,
    ),
    ("distributor_other", DISTRIBUTORS | RETAIL, frozenset(), 36),
    ("vaccination_site", MEDICAL, frozenset({"vaccine"}), 12),
    ("medical_institution", MEDICAL, frozenset(), 36),
    ("other", frozenset(), frozenset(), 36),
)

DEFAULTS: dict[str, Any] = {
    # Intrinsic points by entity kind and by product class (the highest class counts).
    "kind_points": {
        "manufacturer": 3,
        "wholesaler": 2,
        "retail_chain_hq": 2,
        "online_platform": 2,
        "hospital": 2,
        "tibetan_medicine": 2,
        "chain_store": 1,
        "single_pharmacy": 1,
        "clinic": 1,
        "device_business": 1,
        "cosmetics_business": 1,
        "other": 1,
    },
    "class_points": {
        "narcotic": 3,
        "psychotropic": 3,
        "precursor": 3,
        "vaccine": 3,
        "blood_product": 3,
        "radioactive": 2,
        "toxic": 2,
        "sterile": 2,
        "cold_chain": 2,
        "high_risk_device": 2,
        "tibetan_preparation": 1,
        "ordinary": 0,
    },
    # Compliance points: per finding / case of the last three years, by credit grade.
    "critical_points": 3,
    "major_points": 1,
    "case_points": 2,
    "credit_points": {"A": -1, "B": 0, "C": 2, "D": 4, "": 0},
    # Intrinsic level: points → 1 (≤2), 2 (3–4), 3 (≥5); compliance: 1 (≤0), 2 (1–3), 3 (≥4).
    "intrinsic_bounds": [2, 4],
    "compliance_bounds": [0, 3],
    # rating by (intrinsic, compliance) level, and interval in months by rating.
    "matrix": {
        "1": ["low", "low", "medium"],
        "2": ["low", "medium", "high"],
        "3": ["medium", "high", "high"],
    },
    "interval_months": {"low": 36, "medium": 24, "high": 12},
    # Floors per rule key (months); a province may only shorten them.
    "floors": {key: months for key, _kinds, _classes, months in FLOOR_RULES},
    # Draws (DOMAIN.md §2.8): an annual plan draws at least this share of its pool (%);
    # results are published within this many working days (国发〔2019〕5号, [M]).
    "draw_min_proportion": 3,
    "publish_within_days": 20,
}


@dataclass(frozen=True)
class Inputs:
    """What the worksheet needs to know about one entity."""

    kind: str
    classes: frozenset[str] = frozenset()
    critical: int = 0
    major: int = 0
    cases: int = 0
    credit: str = ""


@dataclass(frozen=True)
class Worksheet:
    """The explained result for one entity."""

    intrinsic_points: int
    intrinsic: int
    compliance_points: int
    compliance: int
    rating: str
    rating_months: int
    floor_rule: str
    floor_months: int
    interval_months: int
    factors: dict[str, Any] = field(default_factory=dict)


def merge(overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """The defaults with a province's overrides (one level deep); floors never get longer."""
    config = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULTS.items()}
    for key, value in (overrides or {}).items():
        if key not in DEFAULTS:
            continue
        if isinstance(DEFAULTS[key], dict) and isinstance(value, dict):
            config[key].update(value)
        else:
            config[key] = value
    for key, months in DEFAULTS["floors"].items():
        config["floors"][key] = min(int(config["floors"].get(key, months)), months)
    return config


def _level(points: int, bounds: list[int]) -> int:
    if points <= bounds[0]:
        return 1
    if points <= bounds[1]:
        return 2
    return 3


def floor_for(kind: str, classes: Iterable[str], config: Mapping[str, Any]) -> tuple[str, int]:
    """The statutory floor that applies: the shortest of the rules that match."""
    classes = frozenset(classes)
    best: tuple[str, int] | None = None
    for key, kinds, rule_classes, _months in FLOOR_RULES:
        if kinds and kind not in kinds:
            continue
        if rule_classes and not (rule_classes & classes):
            continue
        months = int(config["floors"][key])
        if best is None or months < best[1]:
            best = (key, months)
        if not kinds:  # the catch-all rule only when nothing else applied
            break
    assert best is not None  # noqa: S101 (the "other" rule always matches)
    return best


def rate(inputs: Inputs, config: Mapping[str, Any]) -> Worksheet:
    """The worksheet of one entity."""
    kind_points = int(config["kind_points"].get(inputs.kind, 1))
    class_points = {c: int(config["class_points"].get(c, 0)) for c in sorted(inputs.classes)}
    top_class = max(class_points.values(), default=0)
    intrinsic_points = kind_points + top_class
    intrinsic = _level(intrinsic_points, config["intrinsic_bounds"])
    credit_points = int(config["credit_points"].get(inputs.credit or "", 0))
    compliance_points = (
        inputs.critical * int(config["critical_points"])
        + inputs.major * int(config["major_points"])
        + inputs.cases * int(config["case_points"])
        + credit_points
    )
    compliance = _level(compliance_points, config["compliance_bounds"])
    rating = config["matrix"][str(intrinsic)][compliance - 1]
    rating_months = int(config["interval_months"][rating])
    floor_rule, floor_months = floor_for(inputs.kind, inputs.classes, config)
    return Worksheet(
        intrinsic_points=intrinsic_points,
        intrinsic=intrinsic,
        compliance_points=compliance_points,
        compliance=compliance,
        rating=rating,
        rating_months=rating_months,
        floor_rule=floor_rule,
        floor_months=floor_months,
        interval_months=min(rating_months, floor_months),
        factors={
            "kind": [inputs.kind, kind_points],
            "classes": class_points,
            "critical": [inputs.critical, inputs.critical * int(config["critical_points"])],
            "major": [inputs.major, inputs.major * int(config["major_points"])],
            "cases": [inputs.cases, inputs.cases * int(config["case_points"])],
            "credit": [inputs.credit, credit_points],
        },
    )


@functools.lru_cache(maxsize=65536)  # pure; a batch has few distinct dates
def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the last day of a shorter month)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def due_on(last_inspected: dt.date | None, registered: dt.date, interval_months: int) -> dt.date:
    """The next inspection is due one interval after the last one; an entity never inspected
    is due one interval after its registration, at most twelve months (the following
    year's plan)."""
    if last_inspected is not None:
        return add_months(last_inspected, interval_months)
    return add_months(registered, min(interval_months, 12))


def credit_grades(
    entity_ids: Iterable[int], id_range: tuple[int, int] | None = None
) -> dict[int, str]:
    """Credit grades (A–D) by entity id from the credit app; an entity never graded has no
    grade (the modifier is then neutral). With ``id_range`` (a whole batch by id) the grades
    are read by range, not by a list of ids."""
    from yaojian.credit.selectors import grades_between, grades_for

    if id_range is not None:
        return grades_between(*id_range)
    return grades_for(list(entity_ids))

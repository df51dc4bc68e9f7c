"""The frequency engine: exact ratings, intervals and floors (DOMAIN.md §2.9)."""

from __future__ import annotations

import datetime as dt

import pytest

from yaojian.inspections import rating

CONFIG = rating.merge(None)


def sheet(kind: str, *classes: str, **compliance: object) -> rating.Worksheet:
    return rating.rate(rating.Inputs(kind=kind, classes=frozenset(classes), **compliance), CONFIG)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "classes", "rule", "floor"),
    [
        ("manufacturer", ("narcotic",), "manufacturer_controlled", 3),
        ("manufacturer", ("psychotropic",), "manufacturer_controlled", 3),
        ("manufacturer", ("precursor",), "manufacturer_controlled", 3),
        ("manufacturer", ("vaccine",), "manufacturer_high_risk", 12),
        ("manufacturer", ("blood_product",), "manufacturer_high_risk", 12),
        ("manufacturer", ("radioactive",), "manufacturer_high_risk", 12),
        ("manufacturer", ("toxic",), "manufacturer_high_risk", 12),
        ("manufacturer", ("sterile",), "manufacturer_high_risk", 12),
        ("manufacturer", (), "manufacturer_other", 36),
        ("wholesaler", ("narcotic",), "distributor_controlled", 6),
        ("wholesaler", ("precursor", "cold_chain"), "distributor_controlled", 6),
        ("wholesaler", ("cold_chain",), "distributor_high_risk", 12),
        ("wholesaler", ("blood_product",), "distributor_high_risk", 12),
        ("single_pharmacy", ("toxic",), "distributor_high_risk", 12),
        ("chain_store", (), "distributor_other", 36),
        ("hospital", ("vaccine",), "vaccination_site", 12),
        ("clinic", (), "medical_institution", 36),
        ("cosmetics_business", (), "other", 36),
    ],
)
def test_statutory_floor_per_kind_and_class(
    kind: str, classes: tuple[str, ...], rule: str, floor: int
) -> None:
    result = sheet(kind, *classes)
    assert (result.floor_rule, result.floor_months) == (rule, floor)
    assert result.interval_months <= floor


@pytest.mark.parametrize(
    ("kind", "classes", "compliance", "expected"),
    [
        # single pharmacy (1) no classes: intrinsic 1; clean: low → 36, floor 36 → 36
        ("single_pharmacy", (), {}, ("low", 1, 1, 36, 36)),
        # one major finding: compliance 1 point → level 2 → low (intrinsic 1) → 36
        ("single_pharmacy", (), {"major": 1}, ("low", 1, 2, 36, 36)),
        # a critical finding + a case: 5 points → level 3 → medium → 24
        ("single_pharmacy", (), {"critical": 1, "cases": 1}, ("medium", 1, 3, 24, 24)),
        # wholesaler (2) + cold chain (2) = 4 → intrinsic 2; clean → low 36, floor 12 → 12
        ("wholesaler", ("cold_chain",), {}, ("low", 2, 1, 36, 12)),
        # manufacturer (3) + narcotic (3) = 6 → intrinsic 3; clean → medium 24, floor 3 → 3
        ("manufacturer", ("narcotic",), {}, ("medium", 3, 1, 24, 3)),
        # manufacturer (3) alone: intrinsic 2; major×2 (2 points → level 2) → medium 24
        ("manufacturer", (), {"major": 2}, ("medium", 2, 2, 24, 24)),
        # manufacturer + vaccine (3 + 3): intrinsic 3; major×2 → high 12, floor 12
        ("manufacturer", ("vaccine",), {"major": 2}, ("high", 3, 2, 12, 12)),
        # credit D (4 points → level 3), hospital (2 → intrinsic 1) → medium 24
        ("hospital", (), {"credit": "D"}, ("medium", 1, 3, 24, 24)),
        # credit A lowers compliance below zero: still level 1
        ("hospital", (), {"credit": "A"}, ("low", 1, 1, 36, 36)),
    ],
)
def test_rating_and_interval_are_exact(
    kind: str, classes: tuple[str, ...], compliance: dict, expected: tuple
) -> None:
    result = sheet(kind, *classes, **compliance)
    rating_value, intrinsic, compliance_level, rating_months, interval = expected
    assert result.rating == rating_value
    assert result.intrinsic == intrinsic
    assert result.compliance == compliance_level
    assert result.rating_months == rating_months
    assert result.interval_months == interval


def test_hospital_intrinsic_points() -> None:
    assert sheet("hospital").intrinsic_points == 2
    assert sheet("hospital").intrinsic == 1


def test_province_may_shorten_a_floor_but_never_lengthen_it() -> None:
    shorter = rating.merge({"floors": {"distributor_other": 24}})
    longer = rating.merge({"floors": {"manufacturer_controlled": 12}})
    assert rating.rate(rating.Inputs("chain_store"), shorter).interval_months == 24
    assert (
        rating.rate(rating.Inputs("manufacturer", frozenset({"narcotic"})), longer).interval_months
        == 3
    )


def test_province_overrides_intervals() -> None:
    config = rating.merge({"interval_months": {"low": 30}})
    assert rating.rate(rating.Inputs("single_pharmacy"), config).interval_months == 30


def test_due_dates() -> None:
    assert rating.due_on(dt.date(2026, 1, 31), dt.date(2020, 1, 1), 3) == dt.date(2026, 4, 30)
    assert rating.due_on(None, dt.date(2026, 3, 15), 36) == dt.date(2027, 3, 15)
    assert rating.due_on(None, dt.date(2026, 3, 15), 3) == dt.date(2026, 6, 15)


def test_credit_is_neutral_until_wired() -> None:
    assert rating.credit_grades([1, 2, 3]) == {}

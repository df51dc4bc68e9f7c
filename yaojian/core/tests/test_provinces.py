"""Per-province configuration (DOMAIN.md §5.4): the keys whose defaults live in core."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from yaojian.core.provinces import (
    INSPECTION_INTERVALS_MONTHS,
    inspection_interval_months,
    licence_adjustment_digits,
)
from yaojian.registry.identifiers import validate_licence_number


def test_inspection_intervals_have_the_laws_defaults_and_a_credit_modifier() -> None:
    assert INSPECTION_INTERVALS_MONTHS["controlled_manufacturer"] == 3
    assert inspection_interval_months("540102", "manufacturer") == 36
    assert inspection_interval_months("540102", "distributor", "bad_record") == 18
    assert (
        inspection_interval_months("540102", "controlled_manufacturer", "serious_dishonesty") == 1
    )
    with pytest.raises(KeyError):
        inspection_interval_months("540102", "bakery")


def test_a_province_shortens_its_intervals_and_others_keep_the_defaults(settings) -> None:
    settings.PROVINCIAL_RULES = {
        "54": {
            "inspection_intervals_months": {"distributor": 24},
            "inspection_credit_factors": {"bad_record": 0.25},
        }
    }
    assert inspection_interval_months("540102", "distributor") == 24
    assert inspection_interval_months("540102", "distributor", "bad_record") == 6
    assert inspection_interval_months("540102", "manufacturer") == 36
    assert inspection_interval_months("460100", "distributor", "bad_record") == 18


def test_a_provinces_licence_adjustment_digits_are_checked(settings) -> None:
    assert licence_adjustment_digits("540102") == "0123456789"
    assert validate_licence_number("drug_distribution", "藏AA891300001") == "藏AA891300001"
    settings.PROVINCIAL_RULES = {"54": {"licence_adjustment_digits": "01"}}

    with pytest.raises(ValidationError) as caught:
        validate_licence_number("drug_distribution", "藏AA891300001")

    assert caught.value.code == "invalid_licence_number"
    assert validate_licence_number("drug_distribution", "藏AA891000001") == "藏AA891000001"
    assert validate_licence_number("drug_distribution", "琼AA898300001") == "琼AA898300001"
    assert validate_licence_number("drug_distribution", "藏AA8910001") == "藏AA8910001"  # pre-2024

"""Per-province configuration (DOMAIN.md §5.4): the keys whose defaults live in core."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from yaojian.core.provinces import licence_adjustment_digits
from yaojian.registry.identifiers import validate_licence_number


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

"""The import's fast paths agree with the general ones they shortcut."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from yaojian.exchange.rows import RowValidator
from yaojian.registry.identifiers import (
    make_unified_social_credit_code,
    validate_unified_social_credit_code,
)
from yaojian.registry.identifiers.uscc import ALPHABET

pytestmark = pytest.mark.django_db

codes = st.one_of(
    st.text(alphabet=ALPHABET, min_size=18, max_size=18),
    st.builds(
        make_unified_social_credit_code,
        st.text(alphabet=ALPHABET, min_size=2, max_size=2),
        st.text(alphabet="0123456789", min_size=6, max_size=6),
        st.text(alphabet=ALPHABET, min_size=8, max_size=8),
    ),
)


@settings(max_examples=300, deadline=None)
@given(code=codes)
def test_canonical_credit_codes_are_judged_like_the_registry(code: str) -> None:
    validator = RowValidator("licence_register", jurisdiction_prefix="54")
    reasons: list[dict[str, str]] = []
    fast = validator._uscc({"unified_social_credit_code": code}, reasons)
    try:
        expected = validate_unified_social_credit_code(code)
    except ValidationError:
        assert (fast, [r["code"] for r in reasons]) == ("", ["invalid_uscc"])
    else:
        assert (fast, reasons) == (expected, [])

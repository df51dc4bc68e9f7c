"""Reference data (regions, calendar, seeded routing rules) survives transactional tests.

Run without random ordering, the two transactional tests flush the database before the
plain test; the conftest's post-flush hook must have put the reference data back.
"""

import pytest

from yaojian.clocks.models import CalendarYear
from yaojian.notices.models import ProblemCategory
from yaojian.territory.models import Region


def _assert_reference_data() -> None:
    assert ProblemCategory.objects.exists()
    assert Region.objects.filter(code="540102").exists()
    assert CalendarYear.objects.filter(year=2026).exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional():
    _assert_reference_data()


@pytest.mark.django_db(transaction=True)
def test_b_transactional_again():
    _assert_reference_data()


@pytest.mark.django_db
def test_c_plain_after():
    _assert_reference_data()

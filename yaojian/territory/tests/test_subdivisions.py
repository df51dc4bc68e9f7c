"""The prefectures and counties kept per process (``current_subdivisions``)."""

from __future__ import annotations

from typing import Any

import pytest

from yaojian.territory.choices import RegionLevel
from yaojian.territory.models import Region
from yaojian.territory.selectors import current_subdivisions, forget_subdivisions
from yaojian.territory.services import load_regions

pytestmark = pytest.mark.django_db


def test_kept_until_forgotten_and_a_load_forgets_them(regions: Any) -> None:
    before = current_subdivisions()
    assert ("540102", "城关区", RegionLevel.COUNTY, "拉萨市") in before
    lhasa = Region.objects.get(code="540100")
    Region.objects.create(code="540199", name="测试新区", level=RegionLevel.COUNTY, parent=lhasa)
    assert current_subdivisions() == before  # kept: one read per process, not per page
    forget_subdivisions()
    assert ("540199", "测试新区", RegionLevel.COUNTY, "拉萨市") in current_subdivisions()
    Region.objects.filter(code="540199").delete()
    load_regions()  # a load (even one that changes nothing here) forgets them
    assert all(row[0] != "540199" for row in current_subdivisions())


def test_retired_regions_are_not_offered(regions: Any) -> None:
    import datetime as dt

    Region.objects.filter(code="540102").update(valid_to=dt.date(2020, 1, 1))
    forget_subdivisions()
    assert all(row[0] != "540102" for row in current_subdivisions())


def test_choices_are_cut_once_per_set_of_jurisdictions_and_handed_out_as_new_lists(
    regions: Any, django_assert_num_queries: Any
) -> None:
    from yaojian.territory.selectors import subdivision_choices

    lhasa = subdivision_choices(("5401",))
    assert ("540100", "拉萨市") in lhasa
    assert ("540102", "拉萨市 / 城关区") in lhasa
    assert all(code.startswith("5401") for code, _ in lhasa)
    assert [code for code, _ in lhasa] == sorted(code for code, _ in lhasa)
    lhasa.append(("999999", "added by a caller"))
    with django_assert_num_queries(0):
        again = subdivision_choices(("5401", "5401"))  # the same set: kept, unchanged
        assert ("999999", "added by a caller") not in again
        assert again == lhasa[:-1]
        both = subdivision_choices(("5402", "5401"))
        assert {code[:4] for code, _ in both} == {"5401", "5402"}
        assert subdivision_choices(()) == []
        everything = subdivision_choices(None)
    assert {code for code, *_ in current_subdivisions()} == {code for code, _ in everything}

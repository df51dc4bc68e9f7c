"""The entity search's page strategies give exactly the rows and order of a plain sort.

The strategies (ADR 0014): matches under the cap are read by id; a page found among the
first rows of the list the search narrows (the window) is exact; otherwise every match is
found by index and sorted; a prefecture's list without a search is read county by county.
Small windows and caps here make each path run with a few dozen entities.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection

from yaojian.accounts.choices import Role
from yaojian.core import pagination
from yaojian.core.pagination import CappedCountPaginator
from yaojian.registry import selectors
from yaojian.registry.filtersets import EntityFilterSet
from yaojian.registry.models import Entity
from yaojian.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db

COUNTIES = ["540102", "540103", "540121", "542521", "542522"]


@pytest.fixture(autouse=True)
def small_window(monkeypatch: Any) -> None:
    monkeypatch.setattr(pagination, "SEARCH_WINDOW", 6)
    cache.clear()


@pytest.fixture
def province(regions: None) -> list[Any]:
    """48 entities: early names without 阿里, 8 late 阿里 names, 4 early 康源 names, in five
    counties of two prefectures."""
    made: list[Any] = []
    for n in range(36):  # early names, no match for 阿里
        made.append(EntityFactory(name=f"八一{n:02d}号药店", region_id=COUNTIES[n % 5]))
    for n in range(4):
        made.append(EntityFactory(name=f"八廓康源{n}号店", region_id=COUNTIES[n % 5]))
    for n in range(8):  # late (阿 sorts after 八), dense among the last rows
        made.append(EntityFactory(name=f"阿里地区{n}号诊所", region_id=COUNTIES[(n + 3) % 5]))
    return made


def expected(user: Any, params: dict[str, str]) -> list[int]:
    """The plain answer: every visible entity, filtered in Python, sorted by (name, id)."""
    visible = set(Entity.objects.visible_to(user).values_list("pk", flat=True))
    rows = []
    for entity in Entity.objects.filter(pk__in=visible):
        if params.get("q") and params["q"] not in entity.name:
            continue
        region = params.get("region", "")
        if region and not entity.region_id.startswith(region.rstrip("0")):
            continue
        rows.append((entity.name, entity.pk))
    return [pk for _name, pk in sorted(rows)]


def page_ids(user: Any, params: dict[str, str], *, cap: int, page: int = 1) -> list[int]:
    filterset = EntityFilterSet(
        params, queryset=selectors.search_entities(user), request=SimpleNamespace(user=user)
    )
    assert filterset.is_valid(), filterset.errors
    paginator = CappedCountPaginator(filterset.qs, 4, count_cap=cap)
    return [e.pk for e in paginator.get_page(page).object_list]


@pytest.fixture
def users(user_in_department: Any) -> dict[str, Any]:
    return {
        "province": user_in_department(role=Role.LEADER, region="540000"),
        "city": user_in_department(role=Role.LEADER, region="540100"),
        "county": user_in_department(role=Role.LEADER, region="540102"),
    }


@pytest.mark.parametrize("scope", ["province", "city", "county"])
@pytest.mark.parametrize(
    "params",
    [
        {"q": "阿里"},  # late matches
        {"q": "康源"},  # few early matches
        {"q": "阿"},  # one character
        {"q": "号"},  # every row matches
        {"q": "不存在"},  # none
        {},
    ],
)
@pytest.mark.parametrize("cap", [3, 1000])
def test_every_strategy_gives_the_plain_order(
    province: list[Entity], users: dict[str, Any], scope: str, params: dict[str, str], cap: int
) -> None:
    user = users[scope]
    plain = expected(user, params)
    for page in (1, 2):
        if page > 1 and (page - 1) * 4 >= min(len(plain), cap + 1):
            continue  # no such page (get_page would give the last one)
        assert page_ids(user, params, cap=cap, page=page) == plain[(page - 1) * 4 : page * 4]


@pytest.mark.parametrize(
    "params",
    [
        {"region": "540100"},
        {"region": "542500"},
        {"region": "540102"},
        {"q": "阿里", "region": "542500"},
        {"q": "号", "region": "540100"},
    ],
)
def test_region_filters_at_each_level_give_the_plain_order(
    province: list[Entity], users: dict[str, Any], params: dict[str, str]
) -> None:
    user = users["province"]
    plain = expected(user, params)
    assert page_ids(user, params, cap=3) == plain[:4]
    assert page_ids(user, params, cap=1000) == plain[:4]


def test_late_matches_are_found_past_the_window(province: list[Entity], users: Any) -> None:
    user = users["province"]
    names = [Entity.objects.get(pk=pk).name for pk in page_ids(user, {"q": "阿里"}, cap=3, page=1)]
    assert names == ["阿里地区0号诊所", "阿里地区1号诊所", "阿里地区2号诊所", "阿里地区3号诊所"]


def test_search_page_query_count_is_bounded(
    province: list[Entity], users: Any, django_assert_max_num_queries: Any
) -> None:
    user = users["city"]
    for params in ({"q": "阿里"}, {"q": "号"}, {}, {"region": "540100"}):
        cache.clear()
        # scope, its prefecture's codes, window end, window, count, page, licences; a
        # prefecture's list: one walk per region code of Lhasa (10 in the test regions).
        # PostgreSQL: each planner-settings block adds a savepoint, SET, reset and release.
        with django_assert_max_num_queries(18 if connection.vendor == "sqlite" else 30):
            page_ids(user, params, cap=3)

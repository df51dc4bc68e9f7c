"""PostgreSQL: the name postings (``registry_entity_gram``, ADR 0032).

The trigger keeps one posting per entity and pair of adjacent characters of its normalised
name through every kind of write, and a name search of two characters or more reads them in
the list's order (county by county within a city), giving exactly the plain answer.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yaojian.accounts.choices import Role
from yaojian.core.pagination import PARTS_ATTRIBUTE, CappedCountPaginator
from yaojian.registry import names, selectors
from yaojian.registry import postings as postings_service
from yaojian.registry.filtersets import EntityFilterSet
from yaojian.registry.models import Entity, EntityGram
from yaojian.registry.tests.factories import EntityFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="postings exist on PostgreSQL"),
]


def grams_of(name: str) -> set[str]:
    text = names.normalise_name(name)
    return {text[i : i + 2] for i in range(len(text) - 1)} | set(text)


def postings() -> dict[int, tuple[set[str], set[str], set[str | None]]]:
    """entity id → (grams, copies of the name, regions) as stored."""
    found: dict[int, tuple[set[str], set[str], set[str | None]]] = {}
    for gram, name, entity_id, region_id in EntityGram.objects.values_list(
        "gram", "name", "entity_id", "region_id"
    ):
        grams, copies, regions_ = found.setdefault(entity_id, (set(), set(), set()))
        grams.add(gram)
        copies.add(name)
        regions_.add(region_id)
    return found


def bulk_entities(
    name: Any, count: int, *, kind: Any, region: str, department: Any
) -> list[Entity]:
    """``count`` entities named ``name(n)``, written by one bulk INSERT statement."""
    return Entity.objects.bulk_create(
        [
            Entity(
                name=name(n),
                search_key=names.search_key(name(n)),
                kind=kind,
                region_id=region,
                registered_by=department,
            )
            for n in range(count)
        ]
    )


def assert_in_step() -> None:
    stored = postings()
    for entity in Entity.objects.all():
        expected = grams_of(entity.name)
        if not expected:
            assert entity.pk not in stored
            continue
        assert stored.pop(entity.pk) == (expected, {entity.name}, {entity.region_id})
    assert stored == {}, "postings of entities that no longer exist"


def test_every_write_path_keeps_the_postings_in_step(regions: None) -> None:
    first: Any = EntityFactory(name="拉萨市城关区康源大药房")
    EntityFactory(name="那曲（第3分店）药店", region_id="540103")
    EntityFactory(name="药")  # one character: one posting, no pair
    assert_in_step()

    first.name = "阿里地区康源诊所"
    first.search_key = names.search_key(first.name)
    first.save()  # a single UPDATE
    assert_in_step()

    first.address = "狮泉河镇1号"
    first.save()  # the name does not change: the postings are left alone
    assert_in_step()

    # one INSERT statement: the statement trigger writes every posting
    made = bulk_entities(
        lambda n: f"林芝{n}号卫生院",
        30,
        kind=first.kind,
        region="540102",
        department=first.registered_by,
    )
    assert_in_step()

    for entity in made[:10]:
        entity.name = entity.name.replace("林芝", "日喀则")
        entity.search_key = names.search_key(entity.name)
    Entity.objects.bulk_update(made[:10], ["name", "search_key"])
    Entity.objects.filter(pk__in=[e.pk for e in made[10:20]]).update(region_id="540121")
    assert_in_step()

    Entity.objects.filter(pk__in=[e.pk for e in made[20:]]).delete()
    assert_in_step()

    # a bulk write of more than 1,000 entities: its postings wait for the worker
    big = bulk_entities(
        lambda n: f"昌都{n}号药店",
        1001,
        kind=first.kind,
        region="540102",
        department=first.registered_by,
    )
    assert postings_service.pending_count() == 1001
    assert not EntityGram.objects.filter(entity_id=big[0].pk).exists()
    assert postings_service.refresh_postings(batch=400) == 1001
    assert postings_service.pending_count() == 0
    assert_in_step()
    for entity in big:
        entity.name = entity.name.replace("昌都", "类乌齐")
        entity.search_key = names.search_key(entity.name)
    Entity.objects.bulk_update(big, ["name", "search_key"], batch_size=2000)
    assert postings_service.pending_count() == 1001
    postings_service.refresh_postings()
    assert_in_step()

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # fire the pending FK checks first
        cursor.execute("TRUNCATE registry_entity CASCADE")  # as a test flush does
    assert EntityGram.objects.count() == 0
    assert postings_service.pending_count() == 0


COUNTIES = ["540102", "540103", "540121", "542521", "542522"]


@pytest.fixture
def province(regions: None) -> None:
    """Names whose matches sort late, sparse matches, a fragment whose first pair is
    common and whose whole is rare, two prefectures."""
    for n in range(30):
        EntityFactory(name=f"八一{n:02d}号药店", region_id=COUNTIES[n % 5])
    for n in range(6):
        EntityFactory(name=f"阿里地区{n}号诊所", region_id=COUNTIES[(n + 3) % 5])
    for n in range(3):
        EntityFactory(name=f"八一大药房{n}", region_id=COUNTIES[n % 2])
    EntityFactory(name="ＡＢＣ康源（连锁）药店", region_id="540103")  # full-width, brackets


def plain(user: Any, q: str, region: str = "") -> list[int]:
    visible = Entity.objects.visible_to(user)
    if region:
        prefix = region.rstrip("0")
        visible = visible.filter(region__code__startswith=prefix)
    wanted = names.normalise_name(q)
    rows = [(e.name, e.pk) for e in visible if wanted in names.normalise_name(e.name)]
    return [pk for _name, pk in sorted(rows)]


def search(user: Any, params: dict[str, str], page: int, cap: int) -> tuple[list[int], str]:
    filterset = EntityFilterSet(
        params, queryset=selectors.search_entities(user), request=SimpleNamespace(user=user)
    )
    assert filterset.is_valid(), filterset.errors
    with CaptureQueriesContext(connection) as queries:
        paginator = CappedCountPaginator(filterset.qs, 4, count_cap=cap)
        ids = [e.pk for e in paginator.get_page(page).object_list]
    return ids, " ".join(q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize(
    ("scope", "cap"),
    [("540000", 3), ("540000", 1000), ("540100", 3), ("540102", 1000), ("542500", 3)],
)
@pytest.mark.parametrize(
    "params",
    [
        {"q": "阿里"},
        {"q": "号药"},
        {"q": "八一大药"},
        {"q": "abc康源(连锁"},
        {"q": "不存在"},
        {"q": "阿"},
        {"q": "药"},
        {"q": "药店", "region": "540100"},
        {"q": "诊所", "region": "542521"},
    ],
)
def test_postings_give_the_plain_answer(
    province: None, user_in_department: Any, scope: str, params: dict[str, str], cap: int
) -> None:
    region = params.get("region", "")
    if region and not region.startswith(scope.rstrip("0")):
        pytest.skip("a region outside the user's jurisdiction is refused by the form")
    user = user_in_department(role=Role.LEADER, region=scope)
    expected = plain(user, params["q"], params.get("region", ""))
    for page in (1, 2):
        if page > 1 and (page - 1) * 4 >= min(len(expected), cap + 1):
            continue
        ids, sql = search(user, params, page, cap)
        assert ids == expected[(page - 1) * 4 : page * 4], (scope, params, page)
        assert "registry_entity_gram" in sql


def test_a_city_reads_only_its_counties_postings(province: None, user_in_department: Any) -> None:
    user = user_in_department(role=Role.LEADER, region="540100")
    found = selectors.filter_entities(selectors.search_entities(user), q="药店")
    sql = str(found.query)
    assert getattr(found.query, PARTS_ATTRIBUTE) is None
    # one join of the postings, narrowed to Lhasa's counties inside the join itself
    assert sql.count("registry_entity_gram") == 1
    assert "540102" in sql
    assert "542521" not in sql


def test_identifiers_take_the_general_path(province: None, user_in_department: Any) -> None:
    user = user_in_department(role=Role.LEADER, region="540000")
    entity = Entity.objects.get(name="阿里地区0号诊所")
    code = entity.unified_social_credit_code
    ids, sql = search(user, {"q": code.lower()}, 1, 1000)
    assert ids == [entity.pk]
    assert "registry_entity_gram" not in sql


def test_while_postings_are_pending_the_search_is_still_exact(
    province: None, user_in_department: Any
) -> None:
    user = user_in_department(role=Role.LEADER, region="540000")
    kind = Entity.objects.first().kind  # type: ignore[union-attr]
    department = Entity.objects.first().registered_by  # type: ignore[union-attr]
    bulk_entities(
        lambda n: f"阿里{n:04d}号门诊", 1001, kind=kind, region="542521", department=department
    )
    expected = plain(user, "阿里")
    ids, sql = search(user, {"q": "阿里"}, 1, 1000)
    assert ids == expected[:4]
    assert "registry_entity_gram" not in sql.replace("registry_entity_gram_pending", "")
    # a longer fragment learns it from the rarest-pair counts' statement, and joins no postings
    longer = plain(user, "号门诊")
    assert len(longer) == 1001
    ids, sql = search(user, {"q": "号门诊"}, 1, 1000)
    assert ids == longer[:4]
    assert " hit ON " not in sql
    postings_service.refresh_postings()
    ids, sql = search(user, {"q": "阿里"}, 1, 1000)
    assert ids == expected[:4]
    assert "registry_entity_gram" in sql.replace("registry_entity_gram_pending", "")

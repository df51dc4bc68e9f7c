"""``?sort=`` on the lists (core.sorting): whitelisted keys only, a stable order, the state shown
in the column heads, kept by the pager and the filters."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse

from yaojian.core import sorting
from yaojian.core.pagination import PARTS_ATTRIBUTE, WINDOW_ATTRIBUTE, search_within
from yaojian.registry.choices import EntityKind
from yaojian.registry.models import Entity
from yaojian.registry.tests.factories import EntityFactory
from yaojian.registry.views.entities import ENTITY_SORTS

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    return re.findall(
        r'<td data-label="[^"]*"><a href="/registry/entities/[^"]+/">([^<]+)</a>', html
    )


@pytest.fixture
def steward_client(client: Any, steward: Any) -> Any:
    client.force_login(steward)
    return client


@pytest.fixture
def three(drug_regulator: Any) -> list[Any]:
    return [
        EntityFactory(name="丙药房", kind=EntityKind.WHOLESALER, registered_by=drug_regulator),
        EntityFactory(name="甲药房", kind=EntityKind.SINGLE_PHARMACY, registered_by=drug_regulator),
        EntityFactory(name="乙药房", kind=EntityKind.WHOLESALER, registered_by=drug_regulator),
    ]


def test_only_whitelisted_keys_reach_order_by() -> None:
    factory = RequestFactory()
    queryset = Entity.objects.order_by("name", "id")
    for raw in ("name; DROP TABLE x", "-id", "password", "registered_by__password", "", "--name"):
        request = factory.get("/", {"sort": raw})
        assert sorting.sort(request, queryset, ENTITY_SORTS).query.order_by == ("name", "id")
    request = factory.get("/", {"sort": "-kind"})
    assert sorting.sort(request, queryset, ENTITY_SORTS).query.order_by == ("-kind", "-id")
    request = factory.get("/", {"sort": "credit_code"})
    assert sorting.sort(request, queryset, ENTITY_SORTS).query.order_by == (
        "unified_social_credit_code",
        "id",
    )


def test_a_requested_order_drops_the_default_orders_index_hints() -> None:
    queryset = search_within(Entity.objects.order_by("name", "id"), Entity.objects.all())
    setattr(queryset.query, PARTS_ATTRIBUTE, ("region_id", ["540102"]))
    request = RequestFactory().get("/", {"sort": "kind"})
    sorted_qs = sorting.sort(request, queryset, ENTITY_SORTS)
    assert not hasattr(sorted_qs.query, WINDOW_ATTRIBUTE)
    assert not hasattr(sorted_qs.query, PARTS_ATTRIBUTE)
    assert hasattr(queryset.query, WINDOW_ATTRIBUTE)  # the original is untouched


def test_the_entity_list_sorts_both_ways_with_a_stable_tie_break(
    steward_client: Any, three: list[Any]
) -> None:
    url = reverse("registry:entity_list")
    html = steward_client.get(url, {"sort": "-kind"}).content.decode()
    # wholesalers first (two of them: the later id first), then the single pharmacy
    wholesalers = sorted([three[0], three[2]], key=lambda e: e.pk, reverse=True)
    assert _names(html) == [wholesalers[0].name, wholesalers[1].name, three[1].name]
    assert 'aria-sort="descending"' in html
    assert 'href="?sort=kind"' in html  # the head toggles back to ascending
    html = steward_client.get(url, {"sort": "kind"}).content.decode()
    assert _names(html)[0] == three[1].name
    assert 'aria-sort="ascending"' in html


def test_an_unknown_sort_keeps_the_default_order(steward_client: Any, three: list[Any]) -> None:
    url = reverse("registry:entity_list")
    default = _names(steward_client.get(url).content.decode())
    response = steward_client.get(url, {"sort": "id); DELETE FROM registry_entity; --"})
    assert response.status_code == 200
    assert _names(response.content.decode()) == default
    assert "aria-sort" not in response.content.decode()


def test_the_pager_and_the_filters_keep_the_sort(
    steward_client: Any, drug_regulator: Any, settings: Any
) -> None:
    for n in range(27):
        EntityFactory(name=f"药房{n:02d}", registered_by=drug_regulator)
    url = reverse("registry:entity_list")
    html = steward_client.get(url, {"sort": "-name", "kind": EntityKind.SINGLE_PHARMACY}).content
    text = html.decode()
    assert "sort=-name" in re.search(r'href="(\?[^"]*page=2[^"]*)"', text).group(1)
    assert '<input type="hidden" name="sort" value="-name">' in text
    page2 = steward_client.get(url, {"sort": "-name", "page": 2}).content.decode()
    assert _names(page2) == ["药房01", "药房00"]

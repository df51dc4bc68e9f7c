"""Capped counts: exact up to the cap, ``cap + 1`` and flagged beyond — in the UI and API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.accounts.models import Department
from yaojian.core import pagination
from yaojian.core.pagination import CappedCountPaginator
from yaojian.registry.models import Entity

pytestmark = pytest.mark.django_db


def _entities(count: int, department: Department) -> None:
    Entity.objects.bulk_create(
        Entity(
            name=f"药房{i}",
            search_key=f"药0房0{i}0",
            kind="single_pharmacy",
            region_id="540102",
            registered_by=department,
        )
        for i in range(count)
    )


@pytest.mark.parametrize(
    ("rows", "count", "capped"),
    [(0, 0, False), (3, 3, False), (4, 4, False), (5, 5, True), (9, 5, True)],
)
def test_count_is_exact_up_to_the_cap(rows, count, capped, regions, user_in_department):
    user = user_in_department()
    _entities(rows, user.memberships.get().department)
    paginator = CappedCountPaginator(Entity.objects.order_by("id"), 2, count_cap=4)
    assert paginator.count == count
    assert paginator.count_is_capped is capped
    assert paginator.num_pages == max(1, (count + 1) // 2)  # an empty first page exists


def test_count_of_a_list(regions):
    assert CappedCountPaginator(list(range(7)), 2, count_cap=4).count == 5


def test_search_page_says_more_than_the_cap(client, regions, user_in_department, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "count_cap", 3)
    user = user_in_department(role=Role.INSPECTOR)
    _entities(5, user.memberships.get().department)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("registry:entity_list")).content.decode()
    assert "More than 3 entities found; narrow the search to see them all." in html


def test_api_flags_a_capped_count(api_client_for, regions, user_in_department, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "count_cap", 3)
    user = user_in_department(role=Role.INSPECTOR)
    _entities(5, user.memberships.get().department)
    body = api_client_for(user).get("/api/v1/entities/?page_size=2").json()
    assert body["count"] == 4
    assert body["count_is_capped"] is True
    assert len(body["results"]) == 2
    monkeypatch.setattr(CappedCountPaginator, "count_cap", 10)
    body = api_client_for(user).get("/api/v1/entities/").json()
    assert (body["count"], body["count_is_capped"]) == (5, False)
    assert pagination.SEARCH_COUNT_CAP == 1_000


def test_pages_under_the_cap_are_read_by_id_in_list_order(regions, user_in_department):
    user = user_in_department()
    _entities(7, user.memberships.get().department)
    queryset = Entity.objects.order_by("-name")
    paginator = CappedCountPaginator(queryset, 3, count_cap=10)
    names = [e.name for n in paginator.page_range for e in paginator.page(n).object_list]
    assert names == [e.name for e in queryset]
    assert [len(paginator.page(n).object_list) for n in paginator.page_range] == [3, 3, 1]


def test_pages_over_the_cap_keep_list_order(regions, user_in_department):
    user = user_in_department()
    _entities(7, user.memberships.get().department)
    queryset = Entity.objects.order_by("-name")
    paginator = CappedCountPaginator(queryset, 3, count_cap=4)
    assert paginator.count_is_capped
    assert [e.name for e in paginator.page(1).object_list] == [e.name for e in queryset[:3]]

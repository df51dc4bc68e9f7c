"""The left menu's case entries are decided from the memberships alone (no query per page)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.scoping import scope_for
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.enforcement import access, permissions
from yaojian.enforcement.menu import can_list_cases, can_record_clue
from yaojian.enforcement.tests.conftest import member

pytestmark = pytest.mark.django_db


def test_the_menu_answers_as_the_pages_check_and_without_a_query(
    regions: None, django_assert_num_queries: Any
) -> None:
    city = DepartmentFactory(
        code="NMPA-540100",
        kind=DepartmentKind.DRUG_REGULATOR,
        level=DepartmentLevel.CITY,
        region_id="540100",
    )
    county = DepartmentFactory(
        code="SAMR-540102",
        kind=DepartmentKind.MARKET_REGULATOR,
        level=DepartmentLevel.COUNTY,
        region_id="540102",
    )
    police = DepartmentFactory(
        code="PSB-540102",
        kind=DepartmentKind.PUBLIC_SECURITY,
        level=DepartmentLevel.COUNTY,
        region_id="540102",
    )
    users = [AnonymousUser()]
    for number, (department, role) in enumerate(
        (department, role) for department in (city, county, police) for role in Role.values
    ):
        users.append(member(department, role, username=f"menu{number}"))
    for user in users:
        scope_for(user)  # a request has its user's scope before the menu is drawn
        with django_assert_num_queries(0):
            menu = (can_list_cases(user), can_record_clue(user))
        assert menu == (
            access.departments_with(user, permissions.VIEW) != frozenset(),
            access.departments_with(user, permissions.ADD) != frozenset(),
        ), user
        with django_assert_num_queries(0):  # and from the page's own answer once it is known
            assert (can_list_cases(user), can_record_clue(user)) == menu
    leader = next(u for u in users[1:] if u.memberships.get().role == Role.LEADER)
    assert can_list_cases(leader)
    assert not can_list_cases(users[0])

"""The left menu: per role, every item shown answers 200 and every item hidden answers 403/404
(issue 9: "menu items that answer 403 are not shown"); groups, active item, breadcrumbs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.core import menu

ROLES = list(Role.values)
KINDS = [
    DepartmentKind.DRUG_REGULATOR,
    DepartmentKind.MARKET_REGULATOR,
    DepartmentKind.PUBLIC_SECURITY,
]

# Items whose visibility the role matrix (accounts/roles.py and the apps' permissions.py)
# fixes, for a county drug regulator: role → items shown among these.
GUARDED = [
    "audit.events",
    "webhooks.endpoints",
    "linkage.reviews",
    "exchange.overview",
    "enforcement.cases",
    "enforcement.clue",
    "portal.publications",
    "clocks.scheduler",
]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shown(client: Client) -> set[str]:
    """The keys of the menu items the rendered page holds."""
    response = client.get("/")
    assert response.status_code == 200
    return set(re.findall(r'data-testid="menu-item" data-key="([^"]+)"', response.content.decode()))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_every_shown_item_opens_and_every_hidden_item_is_refused(
    user_in_department: Any, role: str, kind: str
) -> None:
    # given a county member with this role
    user = user_in_department(role=role, region="540102", kind=kind)
    client = _client(user)
    # when the menu is rendered
    shown = _shown(client)
    # then each shown item answers 200 and each hidden item 403 or 404
    wrong = []
    for item in menu.all_items():
        url = menu._url(item)
        assert url is not None, item.key
        status = client.get(url).status_code
        if (item.key in shown and status != 200) or (
            item.key not in shown and status not in (403, 404)
        ):
            wrong.append((item.key, item.key in shown, status))
    assert wrong == [], (role, kind)


EXPECTED_GUARDED = {
    Role.INSPECTOR: {"enforcement.cases", "enforcement.clue"},
    Role.CASE_OFFICER: {"enforcement.cases", "enforcement.clue", "portal.publications"},
    Role.DEPARTMENT_HEAD: {
        "audit.events",
        "enforcement.cases",
        "exchange.overview",
        "linkage.reviews",
        "portal.publications",
        "webhooks.endpoints",
    },
    Role.DATA_STEWARD: {"exchange.overview", "linkage.reviews"},
    Role.LEADER: {"enforcement.cases", "portal.publications"},
    Role.AUDITOR: {"audit.events", "enforcement.cases", "linkage.reviews", "portal.publications"},
    Role.ADMINISTRATOR: {
        "audit.events",
        "clocks.scheduler",
        "exchange.overview",
        "linkage.reviews",
        "portal.publications",
        "webhooks.endpoints",
    },
    Role.LEGAL_REVIEWER: {"enforcement.cases", "portal.publications"},
}


@pytest.mark.parametrize("role", ROLES)
def test_guarded_items_follow_the_role_matrix(user_in_department: Any, role: str) -> None:
    user = user_in_department(role=role, region="540102", kind=DepartmentKind.DRUG_REGULATOR)
    shown = _shown(_client(user))
    assert shown & set(GUARDED) == EXPECTED_GUARDED[role]


def test_a_market_regulator_case_officer_sees_case_handling(user_in_department: Any) -> None:
    user = user_in_department(role=Role.CASE_OFFICER, kind=DepartmentKind.MARKET_REGULATOR)
    shown = _shown(_client(user))
    assert {"enforcement.my_work", "enforcement.cases", "enforcement.clue"} <= shown
    assert "audit.events" not in shown


def test_a_user_without_membership_sees_only_open_pages(db: Any) -> None:
    from yaojian.accounts.tests.factories import UserFactory

    shown = _shown(_client(UserFactory()))
    assert shown == {item.key for item in menu.all_items() if item.allowed is None}


def test_groups_without_items_are_hidden_and_groups_keep_their_order(
    user_in_department: Any,
) -> None:
    user = user_in_department(role=Role.INSPECTOR)
    entries = menu.menu_for(user, "/")
    keys = [entry["group"].key for entry in entries]
    assert keys == sorted(keys, key=lambda k: menu.GROUPS[k].order)
    assert all(entry["items"] for entry in entries)
    # an inspector has inspections to do but no leadership dashboard: that group is not rendered
    assert "inspections" in keys
    assert "statistics" not in keys


def test_the_longest_matching_item_is_active_and_its_group_open(user_in_department: Any) -> None:
    user = user_in_department(role=Role.CASE_OFFICER, kind=DepartmentKind.MARKET_REGULATOR)
    entries = menu.menu_for(user, "/enforcement/cases/")
    active = [i["item"].key for e in entries for i in e["items"] if i["active"]]
    assert active == ["enforcement.cases"]
    assert [e["group"].key for e in entries if e["active"]] == ["cases"]


def test_the_page_renders_menu_breadcrumbs_help_and_the_users_role(
    user_in_department: Any,
) -> None:
    user = user_in_department(role=Role.INSPECTOR)
    response = _client(user).get("/registry/entities/")
    html = response.content.decode()
    assert 'data-testid="menu"' in html
    assert 'data-key="registry.entities" aria-current="page"' in html
    assert 'data-testid="breadcrumbs"' in html
    assert 'data-testid="page-help"' in html
    assert 'href="/help/#%E6%9F%A5%E6%89%BE%E7%9B%91%E7%AE%A1%E5%AF%B9%E8%B1%A1"' in html
    membership = user.memberships.get()
    assert f"{membership.department.name} · 检查员" in html


def test_an_unknown_group_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown menu group"):
        menu.register("x.y", group="nowhere", label="x", url_name="home")


def test_the_home_page_runs_a_bounded_number_of_queries(
    user_in_department: Any, django_assert_max_num_queries: Any
) -> None:
    user = user_in_department(role=Role.ADMINISTRATOR)
    client = _client(user)
    client.get("/")  # warm the caches that live for the process
    with django_assert_max_num_queries(HOME_QUERY_BUDGET):
        response = client.get("/")
    assert response.status_code == 200


# session, the user with their scope (memberships, grants) in one statement (the header's
# departments and the menu's case-list check read the scope: no query of their own), and the
# first page's (工作台) sections for an administrator: notices (first rows and counts in one
# statement), jobs, the dashboard check (11 before)
HOME_QUERY_BUDGET = 6

"""GET /api/v1/me/: the caller's account, departments, roles and permissions."""

from __future__ import annotations

import pytest

from yaojian.accounts.choices import Role
from yaojian.accounts.roles import permissions_for_role
from yaojian.accounts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/"


def test_me_lists_departments_roles_and_permissions(
    county_a, health_a, user_in_department, api_client_for
):
    # given
    user = user_in_department(department=county_a, role=Role.DATA_STEWARD, full_name="卓玛")
    MembershipFactory(user=user, department=health_a, role=Role.INSPECTOR)
    MembershipFactory(user=user, department=health_a, role=Role.AUDITOR, is_active=False)
    # when
    response = api_client_for(user).get(URL)
    # then
    assert response.status_code == 200
    assert response.json() == {
        "public_id": str(user.public_id),
        "username": user.username,
        "full_name": "卓玛",
        "is_service_account": False,
        "memberships": [
            {
                "department": {
                    "public_id": str(health_a.public_id),
                    "code": "HC-540102",
                    "name": "城关区卫健委",
                    "kind": "health_commission",
                    "level": "county",
                    "region": "540102",
                    "region_name": "城关区",
                    "parent": None,
                    "is_active": True,
                },
                "role": "inspector",
            },
            {
                "department": {
                    "public_id": str(county_a.public_id),
                    "code": "MPA-540102",
                    "name": "城关区药监",
                    "kind": "drug_regulator",
                    "level": "county",
                    "region": "540102",
                    "region_name": "城关区",
                    "parent": None,
                    "is_active": True,
                },
                "role": "data_steward",
            },
        ],
        "permissions": sorted(
            permissions_for_role(Role.DATA_STEWARD) | permissions_for_role(Role.INSPECTOR)
        ),
    }


def test_me_requires_authentication(api_client_for):
    response = api_client_for(None).get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_me_query_count(
    county_a, user_in_department, api_client_for, django_assert_max_num_queries
):
    user = user_in_department(department=county_a)
    client = api_client_for(user)
    with django_assert_max_num_queries(4):
        response = client.get(URL)
    assert response.status_code == 200

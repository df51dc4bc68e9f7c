"""Who is calling, in one statement: the API's token authentication loads the caller's scope
with the token, and a session's user comes with their scope (DRF's own class takes one
statement, then the scope two more; Django's session user one, then the same two): the same
scope as the scoping engine computes, and nothing kept across requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIRequestFactory

from yaojian.accounts.api.authentication import ScopedTokenAuthentication
from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.accounts.models import Membership, User
from yaojian.accounts.scoping import _build_scope, scope_for
from yaojian.accounts.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    ShareGrantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _authenticate(key: str) -> tuple[Any, Any] | None:
    request = APIRequestFactory().get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}")
    return ScopedTokenAuthentication().authenticate(request)


@pytest.fixture
def caller(regions: None) -> User:
    """Two roles in one department, one in another, one ended membership, one in a closed
    department; grants in force, revoked, expired and not yet valid."""
    user = UserFactory()
    county = DepartmentFactory(region_id="540102", code="D-2")
    city = DepartmentFactory(region_id="540100", code="D-1", kind=DepartmentKind.MARKET_REGULATOR)
    closed = DepartmentFactory(region_id="540103", code="D-3", is_active=False)
    MembershipFactory(user=user, department=county, role=Role.INSPECTOR)
    MembershipFactory(user=user, department=county, role=Role.DATA_STEWARD)
    MembershipFactory(user=user, department=city, role=Role.CASE_OFFICER)
    MembershipFactory(user=user, department=closed, role=Role.INSPECTOR)
    MembershipFactory(
        user=user, department=DepartmentFactory(code="D-4"), role=Role.INSPECTOR, is_active=False
    )
    now = timezone.now()
    ShareGrantFactory(grantee=county, data_kind="personal_data")
    ShareGrantFactory(grantee=county, data_kind="registry")
    ShareGrantFactory(grantee=city, data_kind="personal_data")
    ShareGrantFactory(grantee=county, data_kind="licences", revoked_at=now)
    ShareGrantFactory(grantee=county, data_kind="licences", expires_at=now - dt.timedelta(days=1))
    ShareGrantFactory(grantee=city, data_kind="licences", valid_from=now + dt.timedelta(days=1))
    ShareGrantFactory(grantee=closed, data_kind="registry")
    return user  # type: ignore[return-value]


def test_the_token_the_user_and_the_scope_in_one_statement(
    caller: User, django_assert_num_queries: Any
) -> None:
    key = Token.objects.create(user=caller).key
    with django_assert_num_queries(1):
        user, token = _authenticate(key)  # type: ignore[misc]
    assert (user.pk, token.key, token.user_id) == (caller.pk, key, caller.pk)
    with django_assert_num_queries(0):
        scope = scope_for(user)
    assert scope == _build_scope(User.objects.get(pk=caller.pk))  # what the engine computes
    assert [(m.role, m.department_kind) for m in scope.members] == [
        (Role.CASE_OFFICER, DepartmentKind.MARKET_REGULATOR),
        (Role.DATA_STEWARD, DepartmentKind.DRUG_REGULATOR),
        (Role.INSPECTOR, DepartmentKind.DRUG_REGULATOR),
    ]
    assert sorted(scope.grants) == ["personal_data", "registry"]


def test_a_user_without_memberships_and_a_superuser(regions: None) -> None:
    lonely = UserFactory()
    admin = UserFactory(is_superuser=True)
    user, _token = _authenticate(Token.objects.create(user=lonely).key)  # type: ignore[misc]
    assert scope_for(user).members == ()
    assert not scope_for(user).is_superuser
    user, _token = _authenticate(Token.objects.create(user=admin).key)  # type: ignore[misc]
    assert scope_for(user).is_superuser


def test_refusals_and_nothing_kept_across_requests(caller: User, api_client_for: Any) -> None:
    from rest_framework.test import APIClient

    url = "/api/v1/credit/restrictions/?subject=91540102MA6T000000&action=licence.issue"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(url).status_code == 401
    api = api_client_for(caller)
    assert api.get(url).status_code == 200
    Membership.objects.filter(user=caller).update(is_active=False)  # at once, next request
    assert api.get(url).status_code == 403
    User.objects.filter(pk=caller.pk).update(is_active=False)
    assert api.get(url).status_code == 401


def test_an_api_request_reads_the_caller_once(caller: User, api_client_for: Any) -> None:
    """A scoped list: the token statement, then the list's own queries; no membership or
    share-grant query of its own (DRF's class: 3 statements for the caller)."""
    api = api_client_for(caller)
    api.get("/api/v1/credit/records/")
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/credit/records/").status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("authtoken_token" in s for s in sql) == 1
    assert not [s for s in sql if "authtoken_token" not in s and "accounts_membership" in s]
    assert not [s for s in sql if "authtoken_token" not in s and "accounts_sharegrant" in s]


# --- the session's user: the same one statement, keyed by the user's id --------------------


def test_the_sessions_user_and_scope_in_one_statement(
    caller: User, django_assert_num_queries: Any
) -> None:
    from yaojian.accounts.backends import RoleBackend

    with django_assert_num_queries(1):
        user = RoleBackend().get_user(caller.pk)
    assert user is not None
    assert user.pk == caller.pk
    with django_assert_num_queries(0):
        scope = scope_for(user)
    assert scope == _build_scope(User.objects.get(pk=caller.pk))
    assert [m.department_name for m in scope.members] == [
        m.department.name
        for m in Membership.objects.filter(
            user=caller, is_active=True, department__is_active=True
        ).order_by("department__code", "role")
    ]
    assert RoleBackend().get_user(10**9) is None
    assert RoleBackend().get_user("not-a-number") is None
    User.objects.filter(pk=caller.pk).update(is_active=False)
    assert RoleBackend().get_user(caller.pk) is None


def test_a_page_reads_the_signed_in_user_once(caller: User, client: Any) -> None:
    """Session, then the user with memberships and grants in one statement: no membership or
    share-grant query of its own on the page."""
    client.force_login(caller)
    client.get("/help/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/help/").status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 2, sql  # the session, the user with their scope
    assert "django_session" in sql[0]
    assert "accounts_membership" in sql[1]
    assert "accounts_sharegrant" in sql[1]

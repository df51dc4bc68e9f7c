"""``manage.py create_service_account``: a partner system with a token."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from rest_framework.authtoken.models import Token

from yaojian.accounts.models import Membership, User
from yaojian.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("create_service_account", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_creates_account_membership_token_and_audit_event(county_a, api_client_for):
    # when
    key = _run("his-lhasa", "--department", "MPA-540102", "--role", "inspector")
    # then
    user = User.objects.get(username="his-lhasa")
    assert user.is_service_account is True
    assert user.has_usable_password() is False
    assert list(Membership.objects.filter(user=user).values_list("department__code", "role")) == [
        ("MPA-540102", "inspector")
    ]
    assert Token.objects.get(user=user).key == key
    event = AuditEvent.objects.filter(action__startswith="accounts.").get()
    assert (event.action, event.object_id, event.department_id) == (
        "accounts.service_account_created",
        str(user.public_id),
        county_a.pk,
    )
    assert key not in str(event.changes)
    # and the token works on the API
    client = api_client_for(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = client.get("/api/v1/me/").json()
    assert me["is_service_account"] is True
    assert [m["department"]["code"] for m in me["memberships"]] == ["MPA-540102"]


def test_rotating_replaces_the_token(county_a):
    old = _run("his-lhasa", "--department", "MPA-540102", "--role", "inspector")
    new = _run("his-lhasa", "--department", "MPA-540102", "--role", "inspector", "--rotate-token")
    assert new != old
    assert list(Token.objects.values_list("key", flat=True)) == [new]
    assert list(
        AuditEvent.objects.filter(action__startswith="accounts.").values_list("action", flat=True)
    ) == [
        "accounts.service_account_created",
        "accounts.service_account_token_rotated",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", "--department", "NOPE", "--role", "inspector"), "no active department"),
        (
            ("bad name!", "--department", "MPA-540102", "--role", "inspector"),
            "Enter a valid username",
        ),
    ],
)
def test_refusals_write_nothing(args, message, county_a):
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert User.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="accounts.").count() == 0


def test_existing_user_is_not_overwritten(county_a, user_in_department):
    person = user_in_department(department=county_a, username="zhuoma")
    with pytest.raises(CommandError, match="already exists"):
        _run("zhuoma", "--department", "MPA-540102", "--role", "inspector")
    with pytest.raises(CommandError, match="not a service account"):
        _run("zhuoma", "--department", "MPA-540102", "--role", "inspector", "--rotate-token")
    assert Token.objects.filter(user=person).count() == 0
    assert AuditEvent.objects.filter(action__startswith="accounts.").count() == 0


def test_unknown_role_is_refused(county_a):
    with pytest.raises(CommandError):
        _run("x", "--department", "MPA-540102", "--role", "emperor")
    assert User.objects.count() == 0

"""Sign-in with lockout, sign-out, password change and the language switch."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from yaojian.accounts.models import User
from yaojian.accounts.tests.factories import TEST_PASSWORD, UserFactory
from yaojian.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")


def _login(client, username: str, password: str):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def _error_text(response) -> str:
    match = re.search(r'<ul class="errorlist" role="alert"><li>(.*?)</li>', response.text, re.S)
    assert match is not None, response.text
    return match.group(1)


def _events(action: str, user: User | None = None):
    events = AuditEvent.objects.filter(action=action)
    if user is not None:
        events = events.filter(object_id=str(user.public_id))
    return events


def test_login_page_has_the_fields_the_browser_tests_use(client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert 'data-testid="login-username"' in response.text
    assert 'data-testid="login-password"' in response.text
    assert 'data-testid="login-submit"' in response.text


def test_successful_login_signs_in_resets_the_counter_and_is_audited(client):
    # given
    user = UserFactory(failed_login_count=2)
    # when
    response = _login(client, user.username, TEST_PASSWORD)
    # then
    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.failed_login_count == 0
    event = _events("accounts.login", user).get()
    assert event.actor_id == user.pk


def test_failed_login_is_counted_audited_and_answered_with_422(client):
    user = UserFactory()
    response = _login(client, user.username, "wrong-password")
    assert response.status_code == 422
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.failed_login_count == 1
    assert user.locked_until is None
    event = _events("accounts.login_failed", user).get()
    assert event.actor_id is None
    assert event.changes == {"username": user.username, "known_user": True, "failures": 1}
    assert _events("accounts.login", user).count() == 0


def test_account_locks_after_the_maximum_of_consecutive_failures(client, settings):
    # given
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_LOCKOUT_MINUTES = 15
    user = UserFactory()
    # when
    for _ in range(3):
        _login(client, user.username, "wrong-password")
    # then
    user.refresh_from_db()
    assert user.is_locked
    expected = timezone.now() + dt.timedelta(minutes=15)
    assert abs((user.locked_until - expected).total_seconds()) < 60
    assert _events("accounts.login_failed", user).count() == 3
    locked = _events("accounts.locked", user).get()
    assert locked.changes["failures"] == 3


def test_locked_account_refuses_the_right_password_and_the_lock_is_not_extended(client, settings):
    # given
    settings.LOGIN_MAX_FAILURES = 2
    user = UserFactory()
    _login(client, user.username, "wrong-password")
    _login(client, user.username, "wrong-password")
    user.refresh_from_db()
    locked_until = user.locked_until
    # when
    response = _login(client, user.username, TEST_PASSWORD)
    # then
    assert response.status_code == 422
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.locked_until == locked_until
    assert _events("accounts.locked", user).count() == 1
    assert _events("accounts.login", user).count() == 0
    last = _events("accounts.login_failed", user).order_by("-id").first()
    assert last.changes["locked"] is True


def test_lock_expires_after_the_lockout_period(client, settings):
    settings.LOGIN_MAX_FAILURES = 1
    settings.LOGIN_LOCKOUT_MINUTES = 15
    user = UserFactory()
    _login(client, user.username, "wrong-password")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        response = _login(client, user.username, TEST_PASSWORD)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.locked_until is None
    assert user.failed_login_count == 0


def test_error_never_reveals_whether_the_username_exists(client, settings):
    # given
    settings.LOGIN_MAX_FAILURES = 1
    known = UserFactory()
    locked = UserFactory()
    _login(client, locked.username, "wrong-password")
    # when
    wrong_password = _error_text(_login(client, known.username, "wrong-password"))
    unknown_user = _error_text(_login(client, "nobody-has-this-name", "wrong-password"))
    locked_account = _error_text(_login(client, locked.username, TEST_PASSWORD))
    # then
    assert wrong_password == unknown_user == locked_account


def test_failed_login_for_an_unknown_username_is_audited(client):
    _login(client, "nobody-has-this-name", "x")
    event = AuditEvent.objects.filter(action="accounts.login_failed").order_by("-id").first()
    assert event.object_repr == "nobody-has-this-name"
    assert event.changes == {"username": "nobody-has-this-name", "known_user": False}
    assert User.objects.filter(username="nobody-has-this-name").count() == 0


def test_admin_sign_in_counts_failures_too(client, settings):
    settings.LOGIN_MAX_FAILURES = 2
    user = UserFactory(is_staff=True)
    for _ in range(2):
        client.post(
            reverse("admin:login"), {"username": user.username, "password": "wrong-password"}
        )
    user.refresh_from_db()
    assert user.is_locked
    assert _events("accounts.locked", user).count() == 1


def test_logout_accepts_only_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.session["_auth_user_id"] == str(user.pk)


def test_logout_signs_out_and_is_audited(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert "_auth_user_id" not in client.session
    assert _events("accounts.logout", user).count() == 1


def test_pages_redirect_anonymous_users_to_the_login_page(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={reverse('accounts:profile')}"


def test_language_switch_works_before_signing_in(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": LOGIN_URL})
    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(LOGIN_URL)
    assert '<html lang="en">' in page.text


def test_password_change_with_a_wrong_old_password_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "not-my-password",
            "new_password1": "Another-good-pass-2027",
            "new_password2": "Another-good-pass-2027",
        },
    )
    assert response.status_code == 422
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    assert _events("accounts.password_changed", user).count() == 0


def test_password_change_saves_audits_and_keeps_the_session(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Another-good-pass-2027",
            "new_password2": "Another-good-pass-2027",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password("Another-good-pass-2027")
    event = _events("accounts.password_changed", user).get()
    assert event.actor_id == user.pk
    assert "Another-good-pass-2027" not in str(event.changes)
    assert client.session["_auth_user_id"] == str(user.pk)

"""Signing in through the login page in a real browser: lockout after repeated failures."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from yaojian.accounts.choices import Role
from yaojian.accounts.forms import INVALID_LOGIN
from yaojian.accounts.tests.factories import TEST_PASSWORD
from yaojian.audit.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    page, sign_in, user_in_department
):
    # given
    inspector = user_in_department(role=Role.INSPECTOR, region="540102")
    with translation.override("zh-hans"):
        message = str(INVALID_LOGIN)
    assert re.search(r"[\u4e00-\u9fff]", message)
    assert settings.LOGIN_MAX_FAILURES == 5

    # when: five wrong passwords, then the right one
    for _attempt in range(settings.LOGIN_MAX_FAILURES):
        sign_in(inspector.username, "not-the-password")
        expect(page.get_by_role("alert")).to_have_text(message)
    sign_in(inspector.username, TEST_PASSWORD)

    # then: still on the login page with the same message, and the account is locked
    expect(page.get_by_role("alert")).to_have_text(message)
    assert page.url.endswith(reverse("accounts:login"))
    page.goto(reverse("home"))
    assert reverse("accounts:login") in page.url
    expect(page.get_by_test_id("login-submit")).to_be_visible()
    inspector.refresh_from_db()
    assert inspector.is_locked
    events = AuditEvent.objects.filter(object_id=str(inspector.public_id))
    assert events.filter(action="accounts.login_failed").count() == 6
    assert events.filter(action="accounts.locked").count() == 1
    assert events.filter(action="accounts.login").count() == 0

"""Request context (request id, client address) and the 404 for DoesNotExist."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_htmx.middleware import HtmxMiddleware

from yaojian.accounts.tests.factories import UserFactory
from yaojian.audit.models import AuditEvent
from yaojian.core.htmx import is_partial, template_for

pytestmark = pytest.mark.django_db


def test_request_id_sent_by_the_client_is_echoed(client):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": "req-abc-123"})
    assert response["X-Request-ID"] == "req-abc-123"


@pytest.mark.parametrize("sent", [None, "", "   ", "请求"])
def test_missing_or_unusable_request_id_is_replaced(client, sent):
    headers = {} if sent is None else {"X-Request-ID": sent}
    response = client.get(reverse("healthz"), headers=headers)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_overlong_request_id_is_cut_to_64_characters(client):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": "x" * 100})
    assert response["X-Request-ID"] == "x" * 64


def test_audit_rows_carry_the_request_id_and_address(client):
    # given
    user = UserFactory()
    # when: a failed sign-in writes an audit row during the request
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "wrong"},
        headers={"X-Request-ID": "trace-42"},
        REMOTE_ADDR="10.1.2.3",
    )
    # then
    assert response["X-Request-ID"] == "trace-42"
    event = AuditEvent.objects.get(action="accounts.login_failed")
    assert (event.request_id, event.ip_address) == ("trace-42", "10.1.2.3")


def test_audit_rows_outside_requests_have_no_request_context():
    from yaojian.audit.services import record

    event = record(actor=None, action="test.outside")
    assert (event.request_id, event.ip_address) == ("", None)


def test_does_not_exist_from_a_selector_becomes_the_404_page(client):
    client.force_login(UserFactory())
    response = client.get(reverse("jobs:job_detail", args=[uuid.uuid4()]))
    assert response.status_code == 404
    with translation.override("zh-hans"):  # the default language
        expected = gettext("The page does not exist, or you may not see it.")
    assert expected in response.text
    templates = [t.name for t in response.templates]
    assert templates[0] == "404.html"


# --- htmx.is_partial --------------------------------------------------------------------


def _through_htmx_middleware(headers: dict[str, str]):
    request = RequestFactory().get("/", headers=headers)
    HtmxMiddleware(lambda r: None)(request)
    return request


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, False),
        ({"HX-Request": "true"}, True),
        ({"HX-Request": "true", "HX-Boosted": "true"}, False),
    ],
    ids=["plain", "htmx", "boosted"],
)
def test_is_partial(headers, expected):
    request = _through_htmx_middleware(headers)
    assert is_partial(request) is expected
    expected_template = "app/x.html#part" if expected else "app/x.html"
    assert template_for(request, "app/x.html", "part") == expected_template


def test_is_partial_without_the_middleware_is_false():
    assert is_partial(RequestFactory().get("/", headers={"HX-Request": "true"})) is False


# --- Chinese first ------------------------------------------------------------------------


def test_ui_is_chinese_even_for_an_english_browser(client):
    response = client.get(reverse("accounts:login"), headers={"accept-language": "en-US,en"})
    assert response.headers["Content-Language"] == "zh-hans"


def test_ui_follows_the_language_switch_cookie(client):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("accounts:login"))
    assert response.headers["Content-Language"] == "en"


def test_api_honours_accept_language(client):
    response = client.get("/api/v1/entities/", headers={"accept-language": "en"})
    assert response.headers["Content-Language"] == "en"
    assert client.get("/api/v1/entities/").headers["Content-Language"] == "zh-hans"

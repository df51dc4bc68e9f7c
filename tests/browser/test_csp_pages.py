"""Under the Content-Security-Policy, pages work in Chromium: no violation, no request that
leaves the platform (Swagger UI, Redoc, a signed-in page with htmx, the problem form's picker)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from yaojian.accounts.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page: Any, live_server: Any) -> tuple[list[str], list[str]]:
    """Console messages about the policy, and every request to another origin."""
    violations: list[str] = []
    outside: list[str] = []
    own = urlsplit(live_server.url).netloc
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda exc: violations.append(str(exc)))

    def request(req: Any) -> None:
        parts = urlsplit(req.url)
        if parts.scheme in ("http", "https") and parts.netloc != own:
            outside.append(req.url)

    page.on("request", request)
    return violations, outside


def test_swagger_ui_renders_under_the_policy_with_nothing_from_outside(page, live_server):
    violations, outside = _watch(page, live_server)
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Yaojian API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    assert violations == []
    assert outside == []


def test_redoc_renders_and_its_only_outside_image_is_blocked(page, live_server):
    """Redoc's sidebar shows the Redocly logo from its CDN; the policy blocks it (no request
    leaves the browser), the rest renders."""
    violations, outside = _watch(page, live_server)
    page.goto("/api/redoc/")
    expect(page.get_by_role("heading", name="Yaojian API")).to_be_visible(timeout=60_000)
    assert set(outside) <= {"https://cdn.redoc.ly/redoc/logo-mini.svg"}
    assert all("cdn.redoc.ly/redoc/logo-mini.svg" in message for message in violations)


def test_signed_in_page_with_htmx_runs_under_the_policy(
    page, live_server, sign_in, user_in_department
):
    from yaojian.accounts.tests.factories import TEST_PASSWORD

    user = user_in_department(role=Role.INSPECTOR, region="540102")
    violations, outside = _watch(page, live_server)
    sign_in(user.username, TEST_PASSWORD)
    page.goto("/registry/entities/")
    # The inbox badge in the menu is loaded by htmx (hx-trigger="load"): htmx ran.
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.htmx") == "object"
    response = page.request.get("/favicon.ico")
    assert response.status == 200
    assert violations == []
    assert outside == []

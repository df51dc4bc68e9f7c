"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

One browser per test session, a fresh context (cookies, language) per test. Data is made
with the ORM before the page is driven and checked after it has settled, never while the
live server is answering a request.

Playwright's sync API keeps an asyncio loop running on the main thread, which makes
Django refuse ORM calls there (SynchronousOnlyOperation). The live server runs in its own
thread and the test thread only touches the database between page actions, so the check is
switched off for the browser tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, started once for the whole session (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium.")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A page in a fresh browser context (no cookies, Chinese locale)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(page: Any) -> Callable[[str, str], Any]:
    """Sign in through the login page: ``sign_in(username, password)``; returns the response."""

    def submit(username: str, password: str) -> Any:
        page.goto(reverse("accounts:login"))
        page.get_by_test_id("login-username").fill(username)
        page.get_by_test_id("login-password").fill(password)
        with page.expect_navigation():
            page.get_by_test_id("login-submit").click()
        return page

    return submit


@pytest.fixture
def screenshot(page: Any) -> Callable[[str], Path]:
    """Save a full-page screenshot under var/screenshots/ (gitignored) and return its path."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take

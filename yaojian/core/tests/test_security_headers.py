"""The Content-Security-Policy on every response, /favicon.ico, and no server banner."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from yaojian.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
TEMPLATE_DIRS = [
    settings.BASE_DIR / "templates",
    *sorted(settings.BASE_DIR.glob("yaojian/*/templates")),
]
# A <script> without src runs inline, unless it only carries data (json_script's JSON).
_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=[\"']application/json)[^>]*>", re.IGNORECASE
)
_HANDLER = re.compile(r"""\s(on[a-z]+|hx-on[:\w-]*)\s*=""", re.IGNORECASE)


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/healthz", "/api/v1/me/", "/api/docs/", "/no/such/page/"]
)
def test_every_response_carries_the_policy(client, path):
    response = client.get(path)
    assert response["Content-Security-Policy"] == POLICY


def test_signed_in_pages_and_htmx_partials_carry_the_policy(client):
    client.force_login(UserFactory())
    page = client.get("/registry/entities/")
    partial = client.get("/registry/entities/", headers={"HX-Request": "true"})
    assert (page.status_code, partial.status_code) == (200, 200)
    assert page["Content-Security-Policy"] == POLICY
    assert partial["Content-Security-Policy"] == POLICY


def test_no_template_holds_inline_script_or_event_handlers():
    """The policy forbids inline script: a template with one would break in the browser."""
    offenders = []
    for directory in TEMPLATE_DIRS:
        for path in Path(directory).rglob("*.html"):
            text = path.read_text()
            offenders += [f"{path}: {m.group(0)}" for m in _INLINE_SCRIPT.finditer(text)]
            offenders += [f"{path}: {m.group(1)}" for m in _HANDLER.finditer(text)]
    assert offenders == []


def test_swagger_ui_loads_its_start_up_script_as_a_file(client):
    page = client.get("/api/docs/")
    html = page.content.decode()
    assert _INLINE_SCRIPT.search(html) is None
    assert '<script src="/api/docs/?script="></script>' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"] == "application/javascript"
    body = script.content.decode()
    assert 'url: "/api/schema/"' in body
    assert '"validatorUrl": null' in body  # no badge fetched from the public validator


def test_favicon_is_served_without_sign_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"] == "max-age=86400, public"
    body = b"".join(response.streaming_content)
    assert body == (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()
    assert body[:4] == b"\x00\x00\x01\x00"  # the ICO signature
    assert finders.find("favicon.ico") is not None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_gunicorn_as_served_sends_no_server_banner(tmp_path):
    """A real gunicorn with the configuration that ``scripts/serve.py`` passes."""
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(settings.BASE_DIR / "scripts" / "gunicorn_conf.py"),
            "yaojian.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "yaojian.settings", "STATIC_MANIFEST": "0"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:  # wait until the worker answers (bounded: 60 s)
            assert proc.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/favicon.ico")
                response = connection.getresponse()
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.2)
        response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        connection.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    assert response.status == 200
    assert "server" not in headers
    assert headers["content-security-policy"] == POLICY
    assert headers["x-content-type-options"] == "nosniff"

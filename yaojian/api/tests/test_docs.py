"""The OpenAPI schema and its documentation pages, served without any CDN."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

_URL_ATTRIBUTE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
_SCHEMA_URL = re.compile(r"""url:\s*["']([^"']+)["']""")


def _local_assets(html: str) -> list[str]:
    urls = _URL_ATTRIBUTE.findall(html)
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "http://" not in html
    assert "https://" not in html
    return urls


def test_swagger_ui_renders_with_vendored_assets_only(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = _local_assets(html)
    assert assets == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "/api/docs/?script=",
    ]
    script = client.get("/api/docs/?script=").content.decode()
    assert "http://" not in script
    assert "https://" not in script
    assert _SCHEMA_URL.findall(script) == ["/api/schema/"]
    for url in assets[:-1]:
        assert finders.find(url.removeprefix("/static/")) is not None, url


def test_redoc_renders_with_vendored_assets_only(client):
    response = client.get("/api/redoc/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = _local_assets(html)
    assert assets == ["/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"]
    assert 'spec-url="/api/schema/"' in html
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js") is not None


def test_schema_is_served_as_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/departments/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["in"] == "header"

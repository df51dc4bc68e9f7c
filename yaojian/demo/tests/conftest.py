"""Fixtures for the demo-province tests."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

DEMO_TEST_PASSWORD = "Demo-test-2026!"


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap password hashing, and a private var/ directory with no DEMO_PASSWORD around."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


@pytest.fixture
def seed(regions: None) -> Callable[..., str]:
    """Run ``seed_demo`` (300 entities, Tibet, test password unless given, registry only unless
    ``no_activity=False``); return its output."""

    def run(**options: Any) -> str:
        options = {
            "entities": 300,
            "province": "54",
            "password": DEMO_TEST_PASSWORD,
            "no_activity": True,
            **options,
        }
        out = StringIO()
        call_command("seed_demo", stdout=out, **{k: v for k, v in options.items() if v is not None})
        return out.getvalue()

    return run

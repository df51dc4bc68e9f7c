"""Shared set-up of the inspections benchmarks: a PostgreSQL copy of the 1,000,000-entity
registry (``bench/build_search_db.py``) with the inspections tables migrated in."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

TEMPLATE = "bench_registry_1000000"


def ensure_database(name: str, template: str = TEMPLATE) -> str:
    """``name`` as a copy of ``template`` (made once), migrated; returns its DATABASE_URL."""
    if not harness.database_exists("postgres", name):
        if not harness.database_exists("postgres", template):
            raise SystemExit(
                f"{template} is missing: uv run python bench/build_search_db.py --name {template}"
            )
        harness.log(f"copying {template} to {name}")
        with psycopg.connect(harness.PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = harness.database_url("postgres", name)
    harness.manage(url, "migrate", "--no-input", "-v0")
    return url


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaojian.settings")
    sys.path.insert(0, str(harness.ROOT))
    import django

    django.setup()

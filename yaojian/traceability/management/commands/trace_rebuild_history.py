"""manage.py trace_rebuild_history — rebuild the key-readable history from the stored events."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from yaojian.traceability import services


class Command(BaseCommand):
    help = (
        "Rebuild the key-readable history (history.duckdb, read by the incremental check and "
        "the duplicate check) from every committed event of the trace store, in bulk, and swap "
        "it in."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--memory-limit", default=None, help="DuckDB memory limit, e.g. 8GB")
        parser.add_argument("--temp-dir", default=None, help="DuckDB spill folder")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = services.store().rebuild_history(
            memory_limit=options["memory_limit"], temp_dir=options["temp_dir"]
        )
        self.stdout.write(f"events={count} seconds={time.perf_counter() - started:.1f}")

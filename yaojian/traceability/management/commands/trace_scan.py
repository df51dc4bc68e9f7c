"""manage.py trace_scan DIR --out FLAGS.csv [--engine duckdb|spark] — a full scan."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from yaojian.territory.selectors import region_names
from yaojian.traceability.engine.explain import flag_regions, write_flags
from yaojian.traceability.engine.scan import scan


class Command(BaseCommand):
    help = "Run the rules R1 R2 R3 R4 R6 over a folder of trace events and write the flags CSV."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder")
        parser.add_argument("--out", required=True)
        parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
        parser.add_argument(
            "--memory-limit", default=None, help="DuckDB's memory limit, e.g. 12GB (default 60%%)"
        )
        parser.add_argument(
            "--temp-dir", default=None, help="where DuckDB spills what does not fit in memory"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        if not folder.exists():
            raise CommandError(f"{folder} does not exist.")
        started = time.perf_counter()
        flags, report = scan(
            folder,
            engine=options["engine"],
            memory_limit=options["memory_limit"],
            temp_dir=options["temp_dir"],
        )
        try:  # the explanations name regions from the register, when it is there
            regions = region_names(flag_regions(flags))
        except DatabaseError:  # a scan needs no database: codes alone
            regions = {}
        count = write_flags(flags, Path(options["out"]), regions)
        if report is not None:
            for refused in report.refused_files:
                self.stderr.write(f"refused: {refused.error}")
            self.stdout.write(
                f"rows={report.rows} used={report.accepted} unusable={report.rejected} "
                f"duplicates={report.duplicates_in_batch}"
            )
        self.stdout.write(
            f"{count} flags written to {options['out']} in {time.perf_counter() - started:.1f} s"
        )

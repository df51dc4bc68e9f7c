"""manage.py trace_generate DIR --events N — our own generator with planted anomalies."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from yaojian.traceability.engine.generator import write


class Command(BaseCommand):
    help = "Generate trace events with planted anomalies and traps (labels in labels.csv beside)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder")
        parser.add_argument("--events", type=int, default=300_000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
        parser.add_argument("--labels", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        result = write(
            Path(options["folder"]), options["events"], seed=options["seed"], fmt=options["format"]
        )
        labels = Path(options["labels"] or Path(options["folder"]).parent / "labels.csv")
        with labels.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["rule", "key", "party_uscc"])
            writer.writerows(sorted(result.labels))
        self.stdout.write(f"{result.events} events, {len(result.labels)} planted flags ({labels})")

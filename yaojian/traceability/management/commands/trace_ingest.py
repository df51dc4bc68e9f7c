"""manage.py trace_ingest DIR — ingest a folder of trace-event files (idempotent by key)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yaojian.traceability import services


class Command(BaseCommand):
    help = "Ingest a folder of trace events (Parquet or CSV) into the trace store."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder")
        parser.add_argument("--key", default="", help="idempotency key (default: content hash)")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        if not folder.exists():
            raise CommandError(f"{folder} does not exist.")
        batch, created = services.ingest_folder(
            actor=None, folder=folder, idempotency_key=options["key"]
        )
        if not created:
            self.stdout.write(f"batch {batch.idempotency_key} was already ingested; nothing done.")
        self.stdout.write(
            f"rows={batch.rows} stored={batch.accepted} rejected={batch.rejected} "
            f"duplicates={batch.duplicates} new_flags={batch.new_flags} seconds={batch.seconds}"
        )
        for refused in batch.refused_files:
            self.stderr.write(f"refused: {refused['error']}")
        if batch.rejected_file:
            self.stdout.write(f"rejected rows with reasons: {batch.rejected_file}")

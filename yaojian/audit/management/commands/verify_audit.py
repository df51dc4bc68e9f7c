"""manage.py verify_audit — walk the audit chain, hold it against the signed checkpoints and
report every break by position (exit 1 if any)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yaojian.audit.checkpoints import checkpoint_file
from yaojian.audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the keyed hash chain of the audit trail against the signed checkpoints. Prints "
        "'OK: N events verified, K checkpoints matched', or one line per break and exits with "
        "status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="Rows read from the database at a time (default 2000).",
        )
        parser.add_argument(
            "--checkpoints",
            action="append",
            default=[],
            metavar="PATH",
            help="Another checkpoint file to check against (e.g. the copy a receiving "
            "department kept); may be repeated. The configured file is always read.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = [checkpoint_file(), *(Path(p) for p in options["checkpoints"])]
        report = verify_chain(batch_size=options["batch_size"], checkpoint_files=files)
        if report.ok:
            if not report.checkpoints:
                self.stderr.write(
                    "warning: no checkpoint of this database yet, so rows deleted at the end "
                    "cannot be detected; run manage.py audit_checkpoint"
                )
            self.stdout.write(
                f"OK: {report.checked} events verified, {report.checkpoints} checkpoints matched"
            )
            return
        for problem in report.problems:
            where = f"position {problem.position}"
            if problem.event_id is not None:
                where += f" (event #{problem.event_id})"
            self.stdout.write(f"{where}: {problem.kind} — {problem.detail}")
        raise CommandError(
            f"{len(report.problems)} problem(s) in {report.checked} events", returncode=1
        )

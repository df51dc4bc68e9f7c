"""manage.py verify_audit — walk the audit chain and report every break (exit 1 if any)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yaojian.audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the audit trail. Prints 'OK: N events verified', or one "
        "line per break and exits with status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="Rows read from the database at a time (default 2000).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain(batch_size=options["batch_size"])
        if report.ok:
            self.stdout.write(f"OK: {report.checked} events verified")
            return
        for problem in report.problems:
            self.stdout.write(
                f"position {problem.position} (event #{problem.event_id}): "
                f"{problem.kind} — {problem.detail}"
            )
        raise CommandError(
            f"{len(report.problems)} problem(s) in {report.checked} events", returncode=1
        )

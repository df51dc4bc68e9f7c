"""``manage.py verify_bundle PATH``: exit 0 when the evidence bundle is intact, 1 otherwise."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yaojian.documents.bundles import verify_bundle


class Command(BaseCommand):
    help = "Verify an evidence bundle: files against the manifest, the seal, the audit extract."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The bundle (.zip).")
        parser.add_argument(
            "--check-chain",
            action="store_true",
            help="Also look each audit entry up in this platform's audit chain.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify_bundle(options["path"], check_chain=options["check_chain"])
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            self.stderr.write(f"INVALID: {len(problems)} problem(s)")
            sys.exit(1)
        self.stdout.write("OK")

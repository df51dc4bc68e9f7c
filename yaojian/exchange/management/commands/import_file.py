"""``manage.py import_file KIND PATH --department CODE [--user USERNAME]``: import a file.

Runs the same service path as the upload page (start_import, then run_import in-process),
prints progress, a summary and the path of the error report, and exits non-zero when the file
cannot be read at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from yaojian.accounts.models import Department, User
from yaojian.exchange.choices import BatchOrigin, BatchStatus, source_kind_values
from yaojian.exchange.services import run_import, start_import


class Command(BaseCommand):
    help = "Import a department's XLSX or CSV file (the same path as the upload page)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=source_kind_values())
        parser.add_argument("path")
        parser.add_argument("--department", required=True, help="The department's code.")
        parser.add_argument(
            "--user",
            default="",
            help="Act as this user (default: the system, recorded as a superuser of the run).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        department = Department.objects.filter(code=options["department"]).first()
        if department is None:
            raise CommandError(f"No department with the code {options['department']!r}.")
        actor = self._actor(options["user"])
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        try:
            batch = start_import(
                actor=actor,
                kind=options["kind"],
                data=data,
                file_name=path.name,
                department=department,
                origin=BatchOrigin.COMMAND,
                enqueue=False,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", [str(exc)])
            raise CommandError(" ".join(str(m) for m in messages)) from exc

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"{done}/{total}")

        def phase(step: str) -> None:
            self.stdout.write(f"{batch.total_rows}/{batch.total_rows} {step}")

        timings: dict[str, float] = {}
        batch = run_import(batch, progress=progress, phase=phase, timings=timings)
        if batch.status == BatchStatus.FAILED:
            raise CommandError(batch.error)
        self.stdout.write(
            f"accepted {batch.accepted_count}, rejected {batch.rejected_count}, "
            f"unchanged {batch.unchanged_count}, held for review {batch.held_count}"
        )
        if batch.error_report:
            self.stdout.write(f"error report: {Path(settings.MEDIA_ROOT) / batch.error_report}")
        if options["verbosity"] >= 2:
            self.stdout.write(
                "seconds: " + ", ".join(f"{step} {sec}" for step, sec in timings.items())
            )
        self.stdout.write(f"batch {batch.public_id}")

    def _actor(self, username: str) -> Any:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {username!r}.")
            return user
        user, _created = User.objects.get_or_create(
            username="system", defaults={"is_superuser": True, "is_staff": True}
        )
        return user

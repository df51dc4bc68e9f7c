"""``manage.py expire_publications [--date YYYY-MM-DD]``: end display periods that are over."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yaojian.portal import services


class Command(BaseCommand):
    help = "Expire penalty publications whose display period has ended."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Count as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date must be YYYY-MM-DD") from exc
        count = services.expire_publications(today=today)
        self.stdout.write(f"{count} publication(s) expired.")

"""manage.py load_regions — load China's administrative divisions (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yaojian.territory.services import load_regions


class Command(BaseCommand):
    help = "Load the GB/T 2260 divisions shipped in yaojian/territory/data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_regions(actor=None)
        self.stdout.write(
            f"regions: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )

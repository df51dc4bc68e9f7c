"""``manage.py load_calendar``: add the vendored holiday calendar (2025–2027) where missing.

Idempotent: years and days already in the database — including administrators' edits —
are left as they are.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from yaojian.audit.services import record
from yaojian.clocks.reference import load_reference_calendar


class Command(BaseCommand):
    help = "Add the vendored holiday calendar's missing years and days (never overwrites)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            added = load_reference_calendar()
            if added:
                record(
                    actor=None,
                    action="clocks.reference_calendar_loaded",
                    object_type="clocks.calendaryear",
                    changes={"added": [0, added]},
                )
        self.stdout.write(f"Holiday calendar: {added} year(s) and day(s) added.")

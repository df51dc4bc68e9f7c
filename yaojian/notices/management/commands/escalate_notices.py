"""``manage.py escalate_notices``: escalate overdue notices (run from cron, e.g. hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yaojian.notices.services import escalate_overdue_notices


class Command(BaseCommand):
    help = "Escalate overdue notices: level 1 to the department head, level 2 to the level above."

    def handle(self, *args: Any, **options: Any) -> None:
        moved = escalate_overdue_notices(actor=None)
        self.stdout.write(f"escalated {moved}")

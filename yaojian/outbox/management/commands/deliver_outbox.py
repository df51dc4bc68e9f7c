"""``manage.py deliver_outbox``: deliver every due hand-off now (what the sweep does).

For operators after an outage, or on a machine without the scheduler; safe beside a running
worker (each hand-off is claimed before it runs).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yaojian.outbox.delivery import deliver_due, pending_count


class Command(BaseCommand):
    help = "Deliver every due hand-off of the event outbox now."

    def handle(self, *args: Any, **options: Any) -> None:
        ran = deliver_due(budget_seconds=3600)
        self.stdout.write(f"Hand-offs run: {ran}; still waiting: {pending_count()}.")

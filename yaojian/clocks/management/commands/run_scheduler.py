"""``manage.py run_scheduler``: enqueue registered periodic tasks when they are due.

Runs until SIGINT/SIGTERM, checking every ``--interval`` seconds (default 5). With
``--once`` it checks once and exits (for tests and for cron). Several schedulers may run at
once: each tick is enqueued by one of them only (see yaojian.clocks.schedule).
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from yaojian.clocks.schedule import registered, run_due


class Command(BaseCommand):
    help = "Enqueue the registered periodic tasks when they are due (Ctrl-C stops)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between checks (default 5)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self._tick()
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: object) -> None:
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        names = ", ".join(p.name for p in registered()) or "none"
        self.stdout.write(f"Scheduler started; periodic tasks: {names}.")
        while not stop.is_set():
            close_old_connections()
            try:
                self._tick()
            except Exception as error:  # a database hiccup must not stop the scheduler
                self.stderr.write(f"Scheduler tick failed: {error}")
            stop.wait(options["interval"])
        self.stdout.write("Scheduler stopped.")

    def _tick(self) -> None:
        for name in run_due():
            self.stdout.write(f"Enqueued {name}.")

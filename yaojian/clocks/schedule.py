"""A small periodic scheduler: apps register tasks, ``manage.py run_scheduler`` enqueues them.

Usage, from an ``AppConfig.ready()``::

    from yaojian.clocks.schedule import register_periodic
    register_periodic("jobs.fail_stale_jobs", fail_stale_jobs_task, every=timedelta(minutes=10))

Each tick is claimed with one conditional UPDATE of the task's :class:`PeriodicRun` row
(``last_enqueued_at`` older than ``every``), so any number of scheduler processes enqueue
each tick once. The task is enqueued after the claim commits; tasks take no arguments and,
like every task, must be safe to run twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    """One registered periodic task."""

    name: str
    task: Any
    every: timedelta


_registry: dict[str, Periodic] = {}


def register_periodic(name: str, task: Any, every: timedelta) -> None:
    """Run ``task`` (a django-tasks task taking no arguments) every ``every``.

    Registering the same name again replaces the entry (``ready()`` may run twice).
    """
    if not name or len(name) > 200:
        raise ValueError("a periodic task needs a name of 1-200 characters")
    if every < timedelta(seconds=1):
        raise ValueError("a periodic task runs at most once a second")
    if not hasattr(task, "enqueue"):
        raise TypeError(f"{task!r} is not a django-tasks task")
    _registry[name] = Periodic(name=name, task=task, every=every)


def unregister_periodic(name: str) -> None:
    """Remove a registration (used by tests)."""
    _registry.pop(name, None)


def registered() -> list[Periodic]:
    """Every registered periodic task, by name."""
    return [_registry[name] for name in sorted(_registry)]


def _claim(periodic: Periodic, now: datetime) -> bool:
    from yaojian.clocks.models import PeriodicRun

    due = Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=now - periodic.every)
    if PeriodicRun.objects.filter(due, name=periodic.name).update(last_enqueued_at=now):
        return True
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=periodic.name, last_enqueued_at=now)
    except IntegrityError:  # the row exists and is not due, or another scheduler made it
        return False
    return True


def run_due(now: datetime | None = None) -> list[str]:
    """Enqueue every registered task whose interval has passed; returns their names."""
    now = now or timezone.now()
    enqueued: list[str] = []
    for periodic in registered():
        with transaction.atomic():
            if not _claim(periodic, now):
                continue
            transaction.on_commit(lambda p=periodic: _enqueue(p))  # type: ignore[misc]
        enqueued.append(periodic.name)
    return enqueued


def _enqueue(periodic: Periodic) -> None:
    try:
        periodic.task.enqueue()
    except Exception:
        logger.exception("could not enqueue periodic task %s", periodic.name)


def next_runs() -> list[tuple[Periodic, datetime | None]]:
    """Each registered task with when it was last enqueued (for the status page)."""
    from yaojian.clocks.models import PeriodicRun

    last = dict(PeriodicRun.objects.values_list("name", "last_enqueued_at"))
    return [(periodic, last.get(periodic.name)) for periodic in registered()]

"""A small periodic scheduler: apps register tasks, ``manage.py run_scheduler`` enqueues them.

Usage, from an ``AppConfig.ready()``::

    from yaojian.clocks.schedule import register_periodic
    register_periodic("jobs.fail_stale_jobs", fail_stale_jobs_task, every=timedelta(minutes=10),
                      label=_("Fail jobs whose worker died"))

Each tick is claimed with one conditional UPDATE of the task's :class:`PeriodicRun` row
(``last_enqueued_at`` older than ``every``), so any number of scheduler processes enqueue
each tick once. The claim also sets ``enqueued`` to False; the task is enqueued after the
claim commits and only then is ``enqueued`` set again. A tick claimed but never enqueued (the
scheduler was killed in between, or the queue refused) stays ``enqueued=False`` and is claimed
again by any scheduler after :data:`STRANDED_AFTER`: retried, not lost. Tasks take no
arguments and, like every task, must be safe to run twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from yaojian.core.labels import PERIODIC_TASKS

logger = logging.getLogger(__name__)

# A claimed tick not marked enqueued after this long was lost between claim and queue.
STRANDED_AFTER = timedelta(seconds=30)


@dataclass(frozen=True)
class Periodic:
    """One registered periodic task."""

    name: str
    task: Any
    every: timedelta

    @property
    def label(self) -> str:
        """What the task does, in words (``core.labels.PERIODIC_TASKS``)."""
        return PERIODIC_TASKS.label(self.name)


_registry: dict[str, Periodic] = {}


def register_periodic(name: str, task: Any, every: timedelta, *, label: Any) -> None:
    """Run ``task`` (a django-tasks task taking no arguments) every ``every``.

    ``label`` says what it does, in words (a lazy translation): the scheduler page shows it,
    never the name. Registering the same name again replaces the entry (``ready()`` may run
    twice).
    """
    if not name or len(name) > 200:
        raise ValueError("a periodic task needs a name of 1-200 characters")
    if every < timedelta(seconds=1):
        raise ValueError("a periodic task runs at most once a second")
    if not hasattr(task, "enqueue"):
        raise TypeError(f"{task!r} is not a django-tasks task")
    PERIODIC_TASKS.register({name: label})
    _registry[name] = Periodic(name=name, task=task, every=every)


def unregister_periodic(name: str) -> None:
    """Remove a registration (used by tests)."""
    _registry.pop(name, None)


def registered() -> list[Periodic]:
    """Every registered periodic task, by name."""
    return [_registry[name] for name in sorted(_registry)]


def _claim(periodic: Periodic, now: datetime) -> bool:
    from yaojian.clocks.models import PeriodicRun

    due = (
        Q(last_enqueued_at__isnull=True)
        | Q(last_enqueued_at__lte=now - periodic.every)
        | Q(enqueued=False, last_enqueued_at__lte=now - STRANDED_AFTER)
    )
    if PeriodicRun.objects.filter(due, name=periodic.name).update(
        last_enqueued_at=now, enqueued=False
    ):
        return True
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=periodic.name, last_enqueued_at=now, enqueued=False)
    except IntegrityError:  # the row exists and is not due, or another scheduler made it
        return False
    return True


def run_due(now: datetime | None = None) -> list[str]:
    """Enqueue every registered task whose interval has passed (or whose claimed tick was
    never enqueued); returns their names."""
    now = now or timezone.now()
    enqueued: list[str] = []
    for periodic in registered():
        with transaction.atomic():
            if not _claim(periodic, now):
                continue
            transaction.on_commit(lambda p=periodic: _enqueue(p, now))  # type: ignore[misc]
        enqueued.append(periodic.name)
    return enqueued


def _enqueue(periodic: Periodic, claimed_at: datetime) -> None:
    """Enqueue the claimed tick, then mark it enqueued (a failure leaves it to be retried)."""
    from yaojian.clocks.models import PeriodicRun

    try:
        periodic.task.enqueue()
    except Exception:
        logger.exception("could not enqueue periodic task %s; it will be retried", periodic.name)
        return
    PeriodicRun.objects.filter(name=periodic.name, last_enqueued_at=claimed_at).update(
        enqueued=True
    )


def stranded() -> list[str]:
    """Names of periodic tasks whose claimed tick is not (yet) enqueued."""
    from yaojian.clocks.models import PeriodicRun

    return list(
        PeriodicRun.objects.filter(enqueued=False).order_by("name").values_list("name", flat=True)
    )


def next_runs() -> list[tuple[Periodic, datetime | None]]:
    """Each registered task with when it was last enqueued (for the status page)."""
    from yaojian.clocks.models import PeriodicRun

    last = dict(PeriodicRun.objects.values_list("name", "last_enqueued_at"))
    return [(periodic, last.get(periodic.name)) for periodic in registered()]

"""CPU of the database task worker per task: ``django_tasks_db``'s own ``Worker`` loop in batch
mode (``db_worker --batch``, its logging off) over the queue rows waiting in ``DATABASE_URL``,
``time.process_time`` divided by the tasks run. After ``complaints_intake_profile.py`` (which
leaves one queue row per submission) this is the worker's CPU per submission: claim the task,
deliver the event's two hand-offs, finish the task.

    DATABASE_URL=<a profile database> uv run python bench/worker_cpu.py
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path


def main() -> None:
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaojian.settings")
    django.setup()
    from django.db.models import Count
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from yaojian.outbox.models import Message

    for name in ("django_tasks", "django_tasks_db"):
        logging.getLogger(name).setLevel(logging.WARNING)
    ready = DBTaskResult.objects.ready().count()
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="cpu-probe",
        excluded_queue_names=[],
    )
    started = time.process_time()
    worker.run()
    cpu = time.process_time() - started
    ran = worker._run_tasks
    statuses = dict(Message.objects.values_list("status").annotate(Count("id")))
    print(
        f"tasks {ran} (ready {ready}) cpu {cpu:.3f} s, per task {cpu / max(ran, 1) * 1000:.2f} ms;"
        f" hand-offs {statuses}"
    )


if __name__ == "__main__":
    main()

"""The task queue's backend: ``django_tasks_db``'s, with its queue row written by
:mod:`yaojian.core.inserts` (ADR 0041).

``django_tasks_db.DatabaseBackend.enqueue`` writes the row with ``DBTaskResult.objects.create``
(the ORM's insert compiled on every call) and builds the row's ``TaskResult`` twice. Every
publishing request writes one queue row inside its transaction (ADR 0035/0036), so on the
public intake this was ~1 ms of CPU per submission. Here the same row — same columns, the
library's ``pre_save`` receiver (``run_after``) and the ``post_save`` signal sent as ``save()``
sends them — is one ``INSERT … RETURNING``, and the ``TaskResult`` is built once and both sent
with ``task_enqueued`` and returned. The worker (``manage.py db_worker``), the results and
everything else are the library's.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.compat import normalize_json, task_enqueued
from django_tasks_db.models import DBTaskResult

from yaojian.core import inserts


class DatabaseBackend(LibraryDatabaseBackend):
    """Queue rows in this database, each written with one ``INSERT … RETURNING``."""

    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> DBTaskResult[Any, Any]:
        row: DBTaskResult[Any, Any] = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        inserts.insert(row)
        return row

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        self.validate_task(task)
        result = self._task_to_db_task(task, args, kwargs).task_result
        task_enqueued.send(type(self), task_result=result)
        return result

"""Background tasks of credit (run by ``manage.py db_worker``; scheduled in ``apps.ready``)."""

from __future__ import annotations

from django_tasks import task

from yaojian.credit import grades, services


@task()
def nightly_credit_task() -> dict[str, int]:
    """Expire listings past their 3 years, then recompute every grade (set-based)."""
    expired = services.expire_listings()
    changed = grades.recompute()
    return {"expired": expired, "changed": changed}

from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ClocksConfig(AppConfig):
    name = "yaojian.clocks"
    label = "clocks"
    verbose_name = _("Clocks")

    def ready(self) -> None:
        from yaojian.clocks import labels
        from yaojian.core.labels import AUDIT_ACTIONS

        AUDIT_ACTIONS.register(labels.AUDIT_ACTIONS)
        from yaojian.accounts.roles import grant_to_roles
        from yaojian.audit.tasks import write_checkpoint_task
        from yaojian.clocks import checks  # noqa: F401 - registers the system check
        from yaojian.clocks.permissions import ROLE_PERMISSIONS
        from yaojian.clocks.schedule import register_periodic
        from yaojian.jobs.tasks import fail_stale_jobs_task, requeue_stranded_tasks_task
        from yaojian.outbox.conf import sweep_every
        from yaojian.outbox.tasks import deliver_due_task

        grant_to_roles(dict(ROLE_PERMISSIONS))
        register_periodic(
            "jobs.fail_stale_jobs",
            fail_stale_jobs_task,
            every=timedelta(minutes=10),
            label=_("Fail background jobs whose worker stopped"),
        )
        register_periodic(
            "jobs.requeue_stranded_tasks",
            requeue_stranded_tasks_task,
            every=timedelta(minutes=10),
            label=_("Queue again the tasks a stopped worker left running"),
        )
        # The safety net of the event outbox: lost enqueues, expired leases, due retries.
        register_periodic(
            "outbox.deliver_due",
            deliver_due_task,
            every=sweep_every(),
            label=_("Deliver the hand-offs that are due"),
        )
        minutes = int(getattr(settings, "AUDIT_CHECKPOINT_MINUTES", 10))
        register_periodic(
            "audit.write_checkpoint",
            write_checkpoint_task,
            timedelta(minutes=minutes),
            label=_("Write an audit trail checkpoint"),
        )

"""Background jobs (exports, imports) in the left menu (ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.core import menu, pagehelp

menu.register(
    "jobs.jobs",
    group="admin",
    label=_("Jobs"),
    url_name="jobs:job_list",
    icon="list-check",
    order=50,
)

pagehelp.register(
    "jobs:job_list",
    _(
        "Exports and imports run in the background; a job is queued, running, succeeded or failed, and a finished export can be downloaded here."
    ),
    anchor="导出",
)

pagehelp.register(
    "jobs:job_detail",
    _(
        "A background job: its progress updates by itself; when it has succeeded, download the result here (only you can)."
    ),
    anchor="导出",
)

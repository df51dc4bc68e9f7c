"""The leadership dashboard in the left menu, for leaders and heads (ADR 0015, ADR 0016)."""

from django.utils.translation import gettext_lazy as _

from yaojian.core import menu, pagehelp
from yaojian.dashboard.scope import may_view_dashboard

menu.register(
    "dashboard.cockpit",
    group="statistics",
    label=_("Leadership dashboard"),
    url_name="dashboard:dashboard",
    icon="chart-pie",
    allowed=may_view_dashboard,
    order=10,
)

pagehelp.register(
    "dashboard:dashboard",
    _(
        "The figures of your region: entities, cases, penalties, clocks kept, notices answered and publications, with a map of the counties. Every figure opens the list behind it."
    ),
    anchor="工作台与领导驾驶舱",
)

pagehelp.register(
    "home",
    _(
        "What waits for you now, across the platform, the most urgent first: overdue and due-soon clocks, unread notices, tasks, requests, approvals and finished jobs. Each row opens the page where you act."
    ),
    anchor="工作台与领导驾驶舱",
)

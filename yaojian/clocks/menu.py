"""The holiday calendar and the scheduler in the left menu (ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import has_permission
from yaojian.clocks.permissions import CHANGE_CALENDAR
from yaojian.core import menu, pagehelp

menu.register(
    "clocks.calendar",
    group="admin",
    label=_("Holiday calendar"),
    url_name="clocks:year_list",
    icon="calendar",
    order=30,
)
menu.register(
    "clocks.calculator",
    group="admin",
    label=_("Due date calculator"),
    url_name="clocks:calculator",
    icon="calculator",
    order=31,
)
menu.register(
    "clocks.scheduler",
    group="admin",
    label=_("Scheduler"),
    url_name="clocks:scheduler",
    icon="clock",
    allowed=lambda user: has_permission(user, CHANGE_CALENDAR),
    order=32,
)

pagehelp.register(
    "clocks:year_list",
    _(
        "The working-day calendar that every legal clock counts with: holidays and adjusted working days per year."
    ),
    anchor="节假日日历与-webhook",
)
pagehelp.register(
    "clocks:calculator",
    _("Work out a due date: a start date plus a number of working or calendar days."),
    anchor="节假日日历与-webhook",
)

pagehelp.register(
    "clocks:year_detail",
    _(
        "The working days of one year: official holidays and adjusted working days. Legal clocks count working days on this calendar; a provisional year is marked."
    ),
    anchor="节假日日历与-webhook",
)

pagehelp.register(
    "clocks:scheduler",
    _("Whether the background scheduler runs: its last runs and the clocks it checks."),
    anchor="节假日日历与-webhook",
)

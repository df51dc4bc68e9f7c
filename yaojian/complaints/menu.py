"""Complaints and reports in the left menu (group "complaints")."""

from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import has_permission
from yaojian.complaints.permissions import ADD, VIEW
from yaojian.core import menu, pagehelp

menu.register(
    "complaints.list",
    group="complaints",
    label=_("Complaints and reports"),
    url_name="complaints:list",
    icon="message-report",
    allowed=lambda user: has_permission(user, VIEW),
    order=10,
)
menu.register(
    "complaints.create",
    group="complaints",
    label=_("Record a complaint"),
    url_name="complaints:create",
    icon="plus",
    allowed=lambda user: has_permission(user, ADD),
    order=20,
)
pagehelp.register(
    "complaints:list",
    _(
        "Complaints and reports handled by your office, most urgent deadline first. Complaints "
        "are accepted or refused within 7 working days; reports are verified within 15."
    ),
    anchor="投诉举报",
)
pagehelp.register(
    "complaints:detail",
    _(
        "One complaint or report: its clocks, its steps and the next step. The reporter's "
        "identity is shown only to the handling officers, and every view is recorded."
    ),
    anchor="投诉举报",
)
pagehelp.register(
    "complaints:create",
    _("Record a complaint or report taken by telephone or letter, or sent by another department."),
    anchor="投诉举报",
)

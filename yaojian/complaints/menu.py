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

# Page help of the remaining pages (issue 10 item 8).
for _name, _text in (
    (
        "complaints:reporter",
        _(
            "The reporter's identity and contact: only the handling officers and head of the handling department may open it, and every view is recorded in the audit trail."
        ),
    ),
    (
        "complaints:step",
        _(
            "Take the next step of a complaint or report: accept or refuse with the ground, mediate, verify, transfer, or turn a report into a case clue."
        ),
    ),
):
    pagehelp.register(_name, _text, anchor="投诉举报")

# Page help of the remaining pages (issue 10 item 8).
for _name, _text in (
    (
        "portal:complaint_claim",
        _("Claim a reward for a report with its tracking number and query code."),
    ),
    (
        "portal:complaint_new",
        _(
            "Submit a complaint (a consumer dispute) or a report (a lead about a violation); you get a tracking number and a query code."
        ),
    ),
    (
        "portal:complaint_outcomes",
        _(
            "Complaints and reports received per county, accepted, answered on time, and selected outcomes."
        ),
    ),
    (
        "portal:complaint_track",
        _(
            "Follow a complaint or report with its tracking number and query code: progress, outcome and reasons."
        ),
    ),
):
    pagehelp.register(_name, _text, anchor="投诉举报")

"""Case handling in the left menu (ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.core import menu, pagehelp
from yaojian.enforcement import access, permissions


def can_list_cases(user: object) -> bool:
    """The department overview's own check (it answers 404 otherwise)."""
    return access.holds_anywhere(user, permissions.VIEW)


def can_record_clue(user: object) -> bool:
    """The clue form's own check (it answers 403 otherwise)."""
    return access.holds_anywhere(user, permissions.ADD)


menu.register(
    "enforcement.my_work",
    group="cases",
    label=_("My work"),
    url_name="enforcement:my_work",
    icon="briefcase",
    order=10,
)
menu.register(
    "enforcement.cases",
    group="cases",
    label=_("Department cases"),
    url_name="enforcement:case_list",
    icon="gavel",
    allowed=can_list_cases,
    order=20,
)
menu.register(
    "enforcement.clue",
    group="cases",
    label=_("Record a clue"),
    url_name="enforcement:clue_create",
    icon="plus",
    allowed=can_record_clue,
    order=30,
)

pagehelp.register(
    "enforcement:my_work",
    _(
        "Your open cases, most urgent first, the joint tasks and the assistance requests of your departments. A clock is green on time, orange due soon, red overdue, yellow paused."
    ),
    anchor="案件办理",
)
pagehelp.register(
    "enforcement:case_list",
    _("Your department's cases by stage, with filters and the most urgent first."),
    anchor="案件办理",
)
pagehelp.register(
    "enforcement:case_detail",
    _(
        "A case goes clue → verification → filing → investigation → legal review → notice → hearing → decision → service → execution → closure. The stepper shows where it stands, each legal clock is a coloured badge, and only the actions you may take now are offered."
    ),
    anchor="案件办理",
)
pagehelp.register(
    "enforcement:clue_create",
    _("Record a clue; verification must start within the legal time limit."),
    anchor="案件办理",
)

pagehelp.register(
    "enforcement:request_detail",
    _(
        "An assistance request from another department's case: what is asked, by when, and your answer."
    ),
    anchor="案件办理",
)

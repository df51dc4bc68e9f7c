"""Credit in the left menu (ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import has_permission
from yaojian.core import menu, pagehelp


def _can_view(user: object) -> bool:
    return has_permission(user, "credit.view_creditrecord")


def _can_change_rules(user: object) -> bool:
    return has_permission(user, "credit.add_ruleset")


menu.register(
    "credit.records",
    group="credit",
    label=_("Credit records"),
    url_name="credit:record_list",
    icon="id-badge",
    order=10,
    allowed=_can_view,
)
menu.register(
    "credit.grades",
    group="credit",
    label=_("Credit grades"),
    url_name="credit:grade_list",
    icon="chart-bar",
    order=20,
    allowed=_can_view,
)
menu.register(
    "credit.listings",
    group="credit",
    label=_("Serious-dishonesty list"),
    url_name="credit:listing_list",
    icon="ban",
    order=30,
    allowed=_can_view,
)
menu.register(
    "credit.repairs",
    group="credit",
    label=_("Credit repair"),
    url_name="credit:repair_list",
    icon="tool",
    order=40,
    allowed=_can_view,
)
menu.register(
    "credit.ledger",
    group="credit",
    label=_("Joint-punishment ledger"),
    url_name="credit:ledger_list",
    icon="list-check",
    order=50,
    allowed=_can_view,
)
menu.register(
    "credit.rules",
    group="credit",
    label=_("Credit rules"),
    url_name="credit:rule_set",
    icon="settings",
    order=60,
    allowed=_can_change_rules,
)

pagehelp.register(
    "credit:record_list",
    _("Every fact bearing on credit, from decisions, officers, other departments and imports."),
    anchor="信用监管",
)
pagehelp.register(
    "credit:listing_list",
    _(
        "Listings proposed with a heavier penalty, approved by the upper level, published within 20 working days and removed after three years."
    ),
    anchor="严重违法失信名单",
)
pagehelp.register(
    "credit:ledger_list",
    _(
        "Each department concerned records whether it applied the joint measure; overdue confirmations escalate like notices."
    ),
    anchor="联合惩戒执行台账",
)

"""Penalty publication (credit) in the left menu (ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import has_permission
from yaojian.core import menu, pagehelp
from yaojian.portal.permissions import VIEW_PUBLICATION, VIEW_TYPICAL_CASE

menu.register(
    "portal.publications",
    group="credit",
    label=_("Penalty publication"),
    url_name="portal:manage",
    icon="speakerphone",
    allowed=lambda user: has_permission(user, VIEW_PUBLICATION),
    order=10,
)
menu.register(
    "portal.typical_cases",
    group="credit",
    label=_("Typical cases"),
    url_name="portal:case_manage_list",
    icon="file-certificate",
    allowed=lambda user: has_permission(user, VIEW_TYPICAL_CASE),
    order=20,
)
menu.register(
    "portal.public_site",
    group="credit",
    label=_("Public site"),
    url_name="portal:home",
    icon="world",
    order=30,
)

pagehelp.register(
    "portal:manage",
    _(
        "Penalty decisions to publish within the legal time limit, to withdraw, or on display on the public site."
    ),
    anchor="行政处罚信息公示与典型案例",
)
pagehelp.register(
    "portal:case_manage_list",
    _("Typical cases your department writes up for the public site."),
    anchor="行政处罚信息公示与典型案例",
)

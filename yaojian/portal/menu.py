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

pagehelp.register(
    "portal:publication_detail",
    _(
        "One penalty publication: the content, the masked text the public sees, its versions and the actions open to you."
    ),
    anchor="行政处罚信息公示与典型案例",
)

pagehelp.register(
    "portal:case_create",
    _("Write up a typical case for the public site; it is shown after it is published."),
    anchor="行政处罚信息公示与典型案例",
)

pagehelp.register(
    "portal:case_edit",
    _("Edit a typical case; a published case shows the new text at once."),
    anchor="行政处罚信息公示与典型案例",
)

pagehelp.register(
    "portal:home",
    _(
        "Administrative penalty information on display and typical cases, published by the drug and market regulators."
    ),
    anchor="行政处罚信息公示与典型案例",
)

pagehelp.register(
    "portal:penalty_list",
    _("Search the penalty information on display by party, credit code, region and year."),
    anchor="行政处罚信息公示与典型案例",
)

pagehelp.register(
    "portal:penalty_detail",
    _("One penalty decision on display; personal data are masked."),
    anchor="行政处罚信息公示与典型案例",
)

pagehelp.register(
    "portal:typical_case_list",
    _("Typical cases the regulators chose to explain how the law is applied."),
    anchor="行政处罚信息公示与典型案例",
)

pagehelp.register(
    "portal:typical_case_detail",
    _("One typical case and, while it is on display, the penalty publication behind it."),
    anchor="行政处罚信息公示与典型案例",
)

"""Record linkage in the left menu (ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import has_permission
from yaojian.core import menu, pagehelp
from yaojian.linkage.permissions import LINK_FILES, VIEW_REVIEWS

menu.register(
    "linkage.reviews",
    group="sharing",
    label=_("Linkage reviews"),
    url_name="linkage:review_list",
    icon="link",
    allowed=lambda user: has_permission(user, VIEW_REVIEWS),
    order=40,
)
menu.register(
    "linkage.files",
    group="sharing",
    label=_("Link two lists"),
    url_name="linkage:link_files",
    icon="arrows-exchange",
    allowed=lambda user: has_permission(user, LINK_FILES),
    order=41,
)

pagehelp.register(
    "linkage:review_list",
    _(
        "Records without a credit code that probably belong to an existing entity wait here: confirm or reject each match."
    ),
    anchor="主体关联复核",
)

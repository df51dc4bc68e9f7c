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

pagehelp.register(
    "linkage:review_detail",
    _(
        "A possible match between records of two departments: compare the fields, then confirm or reject the link."
    ),
    anchor="主体关联复核",
)

pagehelp.register(
    "linkage:link_files",
    _(
        "Reconcile two lists of entities (XLSX or CSV): the platform finds the same entity in both by credit code, licence number or name and address."
    ),
    anchor="主体关联复核",
)

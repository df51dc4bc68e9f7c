"""Data exchange in the left menu (ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import has_permission
from yaojian.core import menu, pagehelp
from yaojian.exchange.permissions import IMPORT, VIEW_BATCHES


def can_open_overview(user: object) -> bool:
    """The overview's own check: the user sees batches or may import."""
    return has_permission(user, VIEW_BATCHES) or has_permission(user, IMPORT)


menu.register(
    "exchange.overview",
    group="sharing",
    label=_("Data exchange"),
    url_name="exchange:overview",
    icon="database",
    allowed=can_open_overview,
    order=20,
)
menu.register(
    "exchange.alerts",
    group="sharing",
    label=_("Data alerts"),
    url_name="exchange:alert_list",
    icon="alert-triangle",
    order=21,
)

pagehelp.register(
    "exchange:overview",
    _(
        "Import data from your department's source systems with the XLSX templates; rejected rows are kept with their row number and reason."
    ),
    anchor="数据导入数据交换",
)
pagehelp.register(
    "exchange:alert_list",
    _(
        "Contradictions between departments' data about the same entity, to be checked and resolved."
    ),
    anchor="数据导入数据交换",
)

pagehelp.register(
    "exchange:upload",
    _(
        "Upload a filled-in template (XLSX); the import runs in the background and rejects each wrong row with its reason."
    ),
    anchor="数据导入数据交换",
)

pagehelp.register(
    "exchange:batch_detail",
    _(
        "One import: its progress, the rows accepted, rejected, unchanged and awaiting review, and the error report to download."
    ),
    anchor="数据导入数据交换",
)

"""Traceability analytics in the left menu (group “risk”) and its page help."""

from django.utils.translation import gettext_lazy as _

from yaojian.core import menu, pagehelp

menu.register(
    "traceability.alerts",
    group="risk",
    label=_("Traceability alerts"),
    url_name="traceability:alert_list",
    icon="barcode",
    order=10,
)
menu.register(
    "traceability.batches",
    group="risk",
    label=_("Trace-event ingest"),
    url_name="traceability:batch_list",
    icon="database-import",
    order=20,
)

menu.register(
    "traceability.hubs",
    group="risk",
    label=_("Traceability hubs"),
    url_name="traceability:hub_list",
    icon="topology-star-3",
    order=15,
)

pagehelp.register(
    "traceability:alert_list",
    _(
        "Flags of the trace-event rules grouped per institution and rule, with their handling state."
    ),
    anchor="药品追溯分析",
)
pagehelp.register(
    "traceability:alert_detail",
    _(
        "The flags of one alert, each pack's chain of custody, and the actions: investigate, escalate, close with a reason, hand over as a clue."
    ),
    anchor="药品追溯分析",
)

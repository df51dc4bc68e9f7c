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

# Page help of the remaining pages (issue 10 item 8).
for _name, _text in (
    (
        "traceability:batch_list",
        _(
            "Trace-event batches ingested, with rows stored, rejected and duplicated; upload a folder of events here."
        ),
    ),
    (
        "traceability:batch_detail",
        _(
            "One batch: the progress of its ingest job, files refused whole and rejected rows with their reasons; a batch whose job stopped can be ingested again."
        ),
    ),
    (
        "traceability:hub_list",
        _(
            "Institutions ranked by the anomalies that point to them, with the network of insured persons and packs around them."
        ),
    ),
    (
        "traceability:institution_detail",
        _("An institution's packs and buyers ranked by anomalies."),
    ),
    (
        "traceability:pack_detail",
        _("A pack's chain of custody from production to dispensing, with the anomaly marked."),
    ),
    (
        "traceability:public_check",
        _(
            "Check a pack by its trace code: not found, sold once, or sold twice or more. Nothing personal is shown."
        ),
    ),
):
    pagehelp.register(_name, _text, anchor="药品追溯分析")

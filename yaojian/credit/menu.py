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
    "credit.decisions",
    group="credit",
    label=_("Honours and commitment approvals"),
    url_name="credit:decision_list",
    icon="award",
    order=55,
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
    anchor="信用监管",
)
pagehelp.register(
    "credit:ledger_list",
    _(
        "Each department concerned records whether it applied the joint measure; overdue confirmations escalate like notices."
    ),
    anchor="信用监管",
)

# Page help of the remaining pages (issue 10 item 8).
for _name, _text in (
    (
        "credit:grade_list",
        _(
            "Credit grades A–D of the entities in your scope, computed from their credit records by the province's rule set; filter by grade."
        ),
    ),
    (
        "credit:decision_list",
        _(
            "Honours and approvals under the notification-and-commitment procedure in your scope, each checked against the credit file when recorded."
        ),
    ),
    (
        "credit:decision_create",
        _(
            "Grant an honour or approve on the applicant's commitment: a restricted entity is refused with the reasons unless a head overrides with a reason."
        ),
    ),
    (
        "credit:ledger_detail",
        _(
            "One joint-punishment measure: which departments must apply it, who confirmed it (applied or not applicable, with evidence) and what is overdue."
        ),
    ),
    (
        "credit:ledger_record",
        _(
            "Record that your department applied the measure (with evidence) or why it does not apply; this answers the notice."
        ),
    ),
    (
        "credit:listing_detail",
        _(
            "A serious-dishonesty listing: the triggers found, approval, publication within 20 working days, removal after 3 years or on application."
        ),
    ),
    (
        "credit:listing_step",
        _(
            "Move the listing on: approve, publish, accept or decide a removal application, stop publication, or relist when removal was obtained by fraud."
        ),
    ),
    (
        "credit:override_create",
        _(
            "A head records, with a reason, that one restricted decision may go ahead (used once within 30 days; audited)."
        ),
    ),
    (
        "credit:record_create",
        _(
            "Put a fact on an entity's or a person's credit file with its source, legal basis, date and expiry; the identity number goes only in this form."
        ),
    ),
    (
        "credit:record_detail",
        _(
            "One credit record: what it is, where it came from, its points in the grade, and what can be done with it (listing, repair, withdrawal)."
        ),
    ),
    (
        "credit:record_propose_listing",
        _(
            "Propose the serious-dishonesty list for this heavier penalty; the triggers of articles 6, 10 and 11 are checked and shown."
        ),
    ),
    (
        "credit:record_repair",
        _(
            "Apply for credit repair on the entity's behalf; each condition of article 14 is checked and every one that fails is named."
        ),
    ),
    (
        "credit:repair_decide",
        _(
            "Decide the repair application with reasons; publication stops early when it is granted."
        ),
    ),
    (
        "credit:repair_detail",
        _("A credit-repair application: the conditions checked, the decision and its reasons."),
    ),
    ("credit:repair_list", _("Credit-repair applications of your scope and where each stands.")),
    (
        "credit:restriction_check",
        _(
            "Check whether an entity or a person is restricted for an action (licence, appointment, insurance designation …), with the legal basis."
        ),
    ),
    (
        "credit:rule_set",
        _(
            "The province's grading rules as versioned JSON; a rule set that does not parse is refused with the line at fault and the old one stays."
        ),
    ),
    (
        "portal:credit_entity",
        _(
            "An entity's public credit information: penalties in their display period, listing and repair; personal data masked."
        ),
    ),
    (
        "portal:credit_search",
        _("Search public credit information by entity name or unified social credit code."),
    ),
    (
        "portal:dishonesty_list",
        _("The serious-dishonesty list as published, with CSV and XLSX downloads."),
    ),
):
    pagehelp.register(_name, _text, anchor="信用监管")

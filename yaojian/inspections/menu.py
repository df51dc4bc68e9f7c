"""Inspections in the left menu (ADR 0015) and the page help."""

from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import has_permission
from yaojian.core import menu, pagehelp
from yaojian.inspections import permissions


def _with(permission: str):  # type: ignore[no-untyped-def]
    return lambda user: has_permission(user, permission)


ITEMS = (
    (
        "inspections.assignments",
        _("My inspection assignments"),
        "inspections:my_assignments",
        "clipboard-check",
        permissions.CHANGE,
        10,
    ),
    (
        "inspections.list",
        _("Inspections"),
        "inspections:inspection_list",
        "checklist",
        permissions.VIEW,
        20,
    ),
    (
        "inspections.plans",
        _("Plans and random draws"),
        "inspections:plan_list",
        "dice",
        permissions.VIEW_PLAN,
        30,
    ),
    (
        "inspections.due",
        _("Due for inspection"),
        "inspections:due_list",
        "calendar-due",
        permissions.VIEW,
        40,
    ),
    (
        "inspections.coverage",
        _("Grid coverage"),
        "inspections:coverage",
        "grid-dots",
        permissions.VIEW,
        50,
    ),
    (
        "inspections.samples",
        _("Sampling tests"),
        "inspections:sample_list",
        "flask",
        permissions.VIEW_SAMPLE,
        60,
    ),
    (
        "inspections.capacity",
        _("Capacity what-if"),
        "inspections:capacity",
        "chart-arrows",
        permissions.PUBLISH,
        70,
    ),
)
for key, label, url_name, icon, permission, order in ITEMS:
    menu.register(
        key,
        group="inspections",
        label=label,
        url_name=url_name,
        icon=icon,
        allowed=_with(permission),
        order=order,
    )

menu.register(
    "inspections.settings",
    group="admin",
    label=_("Inspection frequencies and draws"),
    url_name="inspections:risk_settings",
    icon="calendar",
    allowed=lambda user: bool(_configurable(user)),
    order=60,
)


def _configurable(user):  # type: ignore[no-untyped-def]
    from yaojian.inspections.services import configurable_provinces

    return configurable_provinces(user)


ANCHOR = "监督检查与双随机抽查"
for url_name, text in (
    (
        "inspections:inspection_list",
        _(
            "Inspections of your departments and those you are on the team of; recorded results must be published within 20 working days."
        ),
    ),
    (
        "inspections:plan_list",
        _(
            "Annual and ad-hoc plans. A draw picks entities from the pool and at least two inspectors for each, excluding conflicts; every draw can be verified again."
        ),
    ),
    (
        "inspections:due_list",
        _(
            "Entities whose next inspection falls due within 30 days, from their risk worksheet and the statutory floor."
        ),
    ),
    (
        "inspections:coverage",
        _("Entities without a grid cell, cells without an officer, and each officer's load."),
    ),
    (
        "inspections:sample_list",
        _(
            "Samples sent to the laboratory and their results; a failed result opens a clue and informs the departments concerned."
        ),
    ),
    (
        "inspections:capacity",
        _(
            "Simulate a year: which entities the inspectors can reach, whether every statutory floor is met, and the risk left uncovered."
        ),
    ),
    (
        "inspections:my_assignments",
        _("Entities drawn for you: open one to record the inspection on site."),
    ),
    (
        "inspections:risk_settings",
        _(
            "The province's inspection intervals, statutory floors (only shorter), credit modifier, least draw proportion and publication deadline; every change is audited with its reason."
        ),
    ),
):
    pagehelp.register(url_name, text, anchor=ANCHOR)

# Page help of the remaining pages (issue 10 item 8).
for _name, _text in (
    (
        "inspections:assignment_start",
        _("Open the inspection of an entity drawn for you, to record it on site."),
    ),
    (
        "inspections:draw_detail",
        _(
            "A random draw: its seed, pool snapshot hash, algorithm version and result; anyone can verify it reproduces."
        ),
    ),
    (
        "inspections:draw_make",
        _(
            "Draw entities from the pool at the plan's proportion and at least two inspectors for each, excluding conflicts and recusals."
        ),
    ),
    (
        "inspections:entity_cell",
        _("Move the entity to another grid cell (a reason is required and the change is audited)."),
    ),
    (
        "inspections:inspection_detail",
        _(
            "One inspection: checklist answers, findings with their clause and grade, files with their SHA-256, the signature or refusal, and publication."
        ),
    ),
    (
        "inspections:inspection_publish",
        _("Publish the result on the public site (due within 20 working days of recording)."),
    ),
    (
        "inspections:inspection_record",
        _(
            "Record the inspection on site: answer every mandatory checklist item, grade each finding, attach photos, note the signature or refusal."
        ),
    ),
    (
        "inspections:place",
        _(
            "Place the entities that have no cell in the cell their address names; what cannot be placed stays on the review list."
        ),
    ),
    (
        "inspections:plan_create",
        _("Create an annual or ad-hoc plan: items, scope and the proportion to draw."),
    ),
    ("inspections:plan_detail", _("A plan with its draws and the inspections they produced.")),
    (
        "inspections:sample_result",
        _(
            "Record the laboratory result of a sample; a failure opens a clue and informs the departments concerned."
        ),
    ),
    (
        "inspections:worksheet",
        _(
            "The entity's risk worksheet: each factor, the rating, the interval and the statutory floor that applies."
        ),
    ),
    (
        "portal:inspection_results",
        _(
            "Published results of the random inspections, as the law requires them to be made public."
        ),
    ),
):
    pagehelp.register(_name, _text, anchor="监督检查与双随机抽查")

"""What each role may do with inspections (ADR 0008): added to the matrix from ``apps.ready``.

* plans and draws: department heads (``add_plan``, ``draw_plan``); everyone in the department
  reads them (``view_plan``);
* inspections: inspectors record those they are on the team of (``change_inspection``); heads
  publish (``publish_inspection``); the province's settings (``change_riskconfig``) are its
  administrators' and heads' (a provincial membership);
* samples: inspectors and data stewards (lab results) record them (``add_sample``).
"""

from __future__ import annotations

from yaojian.accounts.choices import Role

VIEW_PLAN = "inspections.view_plan"
ADD_PLAN = "inspections.add_plan"
DRAW = "inspections.draw_plan"
VIEW = "inspections.view_inspection"
CHANGE = "inspections.change_inspection"
PUBLISH = "inspections.publish_inspection"
CONFIGURE = "inspections.change_riskconfig"
VIEW_SAMPLE = "inspections.view_sample"
ADD_SAMPLE = "inspections.add_sample"

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.INSPECTOR: {VIEW_PLAN, VIEW, CHANGE, VIEW_SAMPLE, ADD_SAMPLE},
    Role.CASE_OFFICER: {VIEW_PLAN, VIEW, VIEW_SAMPLE},
    Role.DEPARTMENT_HEAD: {
        VIEW_PLAN,
        ADD_PLAN,
        DRAW,
        VIEW,
        CHANGE,
        PUBLISH,
        CONFIGURE,
        VIEW_SAMPLE,
        ADD_SAMPLE,
    },
    Role.DATA_STEWARD: {VIEW_SAMPLE, ADD_SAMPLE},
    Role.LEADER: {VIEW_PLAN, VIEW, VIEW_SAMPLE},
    Role.AUDITOR: {VIEW_PLAN, VIEW, VIEW_SAMPLE},
    # Administrators of a provincial department set the province's frequencies and draws.
    Role.ADMINISTRATOR: {CONFIGURE},
}

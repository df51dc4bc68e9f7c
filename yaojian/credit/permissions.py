"""What each role may do with credit (ADR 0008): added to the matrix from ``apps.ready``.

* read credit files: every role of a department in the jurisdiction (``credit.view_creditrecord``);
* record facts: inspectors, case officers, heads and data stewards (imports);
* propose a listing, enter a repair application, confirm a joint measure: case officers, heads;
* approve a listing (upper level), decide a repair, override a restriction: department heads;
* change the rule set: administrators and heads (of a province department);
* record an honour or a 告知承诺制 approval (checked for restrictions): case officers, heads and
  data stewards.
"""

from __future__ import annotations

from yaojian.accounts.choices import Role

VIEW = "credit.view_creditrecord"
ADD_RECORD = "credit.add_creditrecord"
CHANGE_RECORD = "credit.change_creditrecord"
ADD_LISTING = "credit.add_listing"
CHANGE_LISTING = "credit.change_listing"
APPROVE_LISTING = "credit.approve_listing"
ADD_REPAIR = "credit.add_repairapplication"
DECIDE_REPAIR = "credit.change_repairapplication"
LEDGER = "credit.change_ledgerentry"
OVERRIDE = "credit.override_restriction"
RULES = "credit.add_ruleset"
ADD_DECISION = "credit.add_checkeddecision"

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.INSPECTOR: {VIEW, ADD_RECORD},
    Role.CASE_OFFICER: {
        VIEW,
        ADD_RECORD,
        ADD_LISTING,
        CHANGE_LISTING,
        ADD_REPAIR,
        LEDGER,
        ADD_DECISION,
    },
    Role.DEPARTMENT_HEAD: {
        VIEW,
        ADD_RECORD,
        CHANGE_RECORD,
        ADD_LISTING,
        CHANGE_LISTING,
        APPROVE_LISTING,
        ADD_REPAIR,
        DECIDE_REPAIR,
        LEDGER,
        OVERRIDE,
        RULES,
        ADD_DECISION,
    },
    Role.DATA_STEWARD: {VIEW, ADD_RECORD, ADD_DECISION},
    Role.LEGAL_REVIEWER: {VIEW},
    Role.LEADER: {VIEW},
    Role.AUDITOR: {VIEW},
    Role.ADMINISTRATOR: {VIEW, RULES},
}

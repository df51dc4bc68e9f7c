"""What each role may do with cases (ADR 0008): added to the matrix from ``apps.ready``.

* record clues: inspectors and case officers (``enforcement.add_case``);
* work cases: case officers (``enforcement.change_case``) — in the lead department, or, for
  their own tasks and assistance requests, in a participating or requested department;
* approve (file, extensions, decisions, closure): department heads (``enforcement.approve_case``);
  heads also change the status of licences their department issued (a revocation decided
  in a case takes effect through ``registry.services.transition_licence``, 第139条);
* review (法制审核): legal reviewers (``enforcement.review_case``);
* leaders and auditors read only (``enforcement.view_case``).

Police departments see nothing here whatever their roles (``enforcement.access``).
"""

from __future__ import annotations

from yaojian.accounts.choices import Role

VIEW = "enforcement.view_case"
ADD = "enforcement.add_case"
CHANGE = "enforcement.change_case"
APPROVE = "enforcement.approve_case"
REVIEW = "enforcement.review_case"

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.INSPECTOR: {VIEW, ADD},
    Role.CASE_OFFICER: {VIEW, ADD, CHANGE},
    Role.DEPARTMENT_HEAD: {VIEW, APPROVE, "registry.change_licence"},
    Role.LEGAL_REVIEWER: {VIEW, REVIEW},
    Role.LEADER: {VIEW},
    Role.AUDITOR: {VIEW},
}

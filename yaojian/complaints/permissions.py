"""What each role may do with complaints and reports (ADR 0008): added from ``apps.ready``.

* read the register of the department (and, for heads and leaders, the departments they
  oversee): ``complaints.view_complaint`` — never the reporter's identity;
* take complaints by phone or letter: ``complaints.add_complaint``;
* handle (accept, refuse, mediate, turn into a clue, transfer): ``complaints.handle_complaint``;
* see the reporter's identity and contact: ``complaints.view_reporter`` — only the officer the
  complaint is assigned to (``Complaint.assigned_to``), while a member of the handling
  department; ``complaints.view_any_reporter`` — the handling department's head, who assigns
  the officers (第33条: "the handling officers"; no oversight, no share grant, no superuser
  bypass); every view audited;
* approve rewards and publish outcomes: ``complaints.approve_reward``.
"""

from __future__ import annotations

from yaojian.accounts.choices import Role

VIEW = "complaints.view_complaint"
ADD = "complaints.add_complaint"
HANDLE = "complaints.handle_complaint"
IDENTITY = "complaints.view_reporter"
IDENTITY_ANY = "complaints.view_any_reporter"
APPROVE = "complaints.approve_reward"

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.INSPECTOR: {VIEW, ADD},
    Role.CASE_OFFICER: {VIEW, ADD, HANDLE, IDENTITY},
    Role.DEPARTMENT_HEAD: {VIEW, ADD, HANDLE, IDENTITY, IDENTITY_ANY, APPROVE},
    Role.LEADER: {VIEW},
    Role.AUDITOR: {VIEW},
}

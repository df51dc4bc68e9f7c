"""What each role may do with problems, notices and routing rules (ADR 0008).

``NoticesConfig.ready()`` adds :data:`MATRIX` to the role matrix. Which *rows* a member acts
on is decided by department membership (``models.NoticeQuerySet``): a member acts on the
inbox of their own department only.
"""

from __future__ import annotations

from yaojian.accounts.choices import Role

RECORD_PROBLEM = "notices.add_problem"
SEND_NOTICE = "notices.add_notice"
ACT_ON_NOTICE = "notices.change_notice"
EDIT_RULES = "notices.change_routingrule"
VIEW_NOTICE = "notices.view_notice"
# Department heads supervise their department's escalated (overdue) notices.
SUPERVISE_NOTICES = "notices.supervise_notice"
# Personal data on problems follows the registry's rule: roles that handle personal data.
PERSONAL_DATA = "registry.view_personal_data"

_READ = {VIEW_NOTICE, "notices.view_problem", "notices.view_routingrule"}
_WORK = _READ | {SEND_NOTICE, ACT_ON_NOTICE}

MATRIX: dict[str, frozenset[str] | set[str]] = {
    Role.INSPECTOR: _WORK | {RECORD_PROBLEM},
    Role.CASE_OFFICER: _WORK | {RECORD_PROBLEM},
    Role.DEPARTMENT_HEAD: _WORK | {RECORD_PROBLEM, SUPERVISE_NOTICES},
    Role.DATA_STEWARD: _WORK | {RECORD_PROBLEM},
    Role.LEGAL_REVIEWER: _WORK,
    Role.ADMINISTRATOR: _WORK | {EDIT_RULES, "notices.add_routingrule"},
    # Read-only: leaders and auditors see the inbox but do not act on it.
    Role.LEADER: _READ,
    Role.AUDITOR: _READ,
}

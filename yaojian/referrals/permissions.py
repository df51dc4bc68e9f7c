"""What each role may do with referrals (ADR 0008): added to the matrix from ``apps.ready``.

* write the transfer report, transfer, ask for reconsideration or supervision, hand over:
  case officers of the referring department (``referrals.add_referral``,
  ``referrals.change_referral``);
* decide on the transfer: department heads (``referrals.approve_referral``);
* answer as the police (receipt, forward, open a case or decline, decide a reconsideration):
  case officers and heads of a ``public_security`` department the referral is addressed to
  (``referrals.answer_referral``; the department kind is checked by the services);
* read: everyone above, leaders and auditors (``referrals.view_referral``).
"""

from __future__ import annotations

from yaojian.accounts.choices import Role

VIEW = "referrals.view_referral"
ADD = "referrals.add_referral"
CHANGE = "referrals.change_referral"
APPROVE = "referrals.approve_referral"
ANSWER = "referrals.answer_referral"

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.INSPECTOR: {VIEW},
    Role.CASE_OFFICER: {VIEW, ADD, CHANGE, ANSWER},
    Role.DEPARTMENT_HEAD: {VIEW, CHANGE, APPROVE, ANSWER},
    Role.LEGAL_REVIEWER: {VIEW},
    Role.LEADER: {VIEW},
    Role.AUDITOR: {VIEW},
}

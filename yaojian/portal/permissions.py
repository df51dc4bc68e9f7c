"""Who may do what in the portal (added to the role matrix from ``PortalConfig.ready``).

* Case officers, department heads and administrators of the deciding department review the
  queue, publish and withdraw; only heads and administrators stop a publication early.
* Heads and administrators curate typical cases (典型案例).
* Leaders, auditors and legal reviewers see the publications of their department.
* The public pages need no permission: they show only published information on display.
"""

from __future__ import annotations

from yaojian.accounts.choices import Role

VIEW_PUBLICATION = "portal.view_publication"
PUBLISH_PUBLICATION = "portal.publish_publication"
WITHDRAW_PUBLICATION = "portal.withdraw_publication"
STOP_PUBLICATION = "portal.stop_publication"
VIEW_TYPICAL_CASE = "portal.view_typicalcase"
ADD_TYPICAL_CASE = "portal.add_typicalcase"
CHANGE_TYPICAL_CASE = "portal.change_typicalcase"

_HANDLE = frozenset({VIEW_PUBLICATION, PUBLISH_PUBLICATION, WITHDRAW_PUBLICATION})
_CURATE = frozenset({VIEW_TYPICAL_CASE, ADD_TYPICAL_CASE, CHANGE_TYPICAL_CASE})

PORTAL_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CASE_OFFICER: _HANDLE,
    Role.DEPARTMENT_HEAD: _HANDLE | {STOP_PUBLICATION} | _CURATE,
    Role.ADMINISTRATOR: _HANDLE | {STOP_PUBLICATION} | _CURATE,
    Role.LEGAL_REVIEWER: frozenset({VIEW_PUBLICATION}),
    Role.LEADER: frozenset({VIEW_PUBLICATION, VIEW_TYPICAL_CASE}),
    Role.AUDITOR: frozenset({VIEW_PUBLICATION, VIEW_TYPICAL_CASE}),
}

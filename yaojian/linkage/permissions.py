"""Who may do what in the linkage app (added to the role matrix from ``ready()``, ADR 0008)."""

from __future__ import annotations

from yaojian.accounts.choices import Role

VIEW_REVIEWS = "linkage.view_linkreview"
DECIDE_REVIEWS = "linkage.change_linkreview"
LINK_FILES = "linkage.link_files"

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.DATA_STEWARD: frozenset({VIEW_REVIEWS, DECIDE_REVIEWS, LINK_FILES}),
    Role.ADMINISTRATOR: frozenset({VIEW_REVIEWS, DECIDE_REVIEWS, LINK_FILES}),
    Role.DEPARTMENT_HEAD: frozenset({VIEW_REVIEWS, LINK_FILES}),
    Role.AUDITOR: frozenset({VIEW_REVIEWS}),
    Role.INSPECTOR: frozenset({LINK_FILES}),
    Role.CASE_OFFICER: frozenset({LINK_FILES}),
}

"""Who may see and replay hand-offs (ADR 0008): added to the role matrix from ``ready()``.

Administrators see the hand-offs their department published and replay failed or dead ones;
department heads see them. Superusers (the platform's operators) see every hand-off.
"""

from __future__ import annotations

from yaojian.accounts.choices import Role

VIEW = frozenset({"outbox.view_message"})
REPLAY = frozenset({"outbox.replay_message"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: VIEW | REPLAY,
    Role.DEPARTMENT_HEAD: VIEW,
}

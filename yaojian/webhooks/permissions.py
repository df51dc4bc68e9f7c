"""Who may do what with webhooks (ADR 0008): added to the role matrix from ``ready()``.

Administrators manage their department's endpoints and replay deliveries; department heads
see them read-only. Nobody sees another department's endpoints (no ShareGrant applies).
"""

from __future__ import annotations

from yaojian.accounts.choices import Role

VIEW = frozenset({"webhooks.view_endpoint", "webhooks.view_delivery"})
MANAGE = frozenset(
    {"webhooks.add_endpoint", "webhooks.change_endpoint", "webhooks.replay_delivery"}
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: VIEW | MANAGE,
    Role.DEPARTMENT_HEAD: VIEW,
}

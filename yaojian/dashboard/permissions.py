"""Who sees the leadership dashboard (驾驶舱): leaders and department heads (ADR 0016)."""

from __future__ import annotations

from yaojian.accounts.choices import Role

VIEW_DASHBOARD = "dashboard.view_dashboard"

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.LEADER: {VIEW_DASHBOARD},
    Role.DEPARTMENT_HEAD: {VIEW_DASHBOARD},
}

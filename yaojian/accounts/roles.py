"""The role → permission matrix: the one place that says what each role may do.

Permissions are Django-style codenames (``<app>.<verb>_<model>``). They are granted per
membership, so a permission holds only within that membership's department and
jurisdiction (see :mod:`yaojian.accounts.scoping`).
"""

from __future__ import annotations

from yaojian.accounts.choices import Role

VIEW_COMMON = frozenset(
    {
        "registry.view_entity",
        "registry.view_licence",
        "registry.view_product",
        "registry.view_person",
        "territory.view_region",
        "territory.view_gridcell",
        "accounts.view_department",
        "jobs.view_job",
    }
)

REGISTRY_WRITE = frozenset(
    {
        "registry.add_entity",
        "registry.change_entity",
        "registry.add_licence",
        "registry.change_licence",
        "registry.add_product",
        "registry.change_product",
        "registry.add_person",
        "registry.change_person",
    }
)

PERSONAL_DATA = frozenset({"registry.view_personal_data"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.INSPECTOR: VIEW_COMMON | PERSONAL_DATA,
    Role.CASE_OFFICER: VIEW_COMMON | PERSONAL_DATA,
    Role.DATA_STEWARD: VIEW_COMMON | REGISTRY_WRITE | PERSONAL_DATA,
    Role.DEPARTMENT_HEAD: VIEW_COMMON
    | PERSONAL_DATA
    | {"territory.change_gridcell", "accounts.view_membership", "audit.view_auditevent"},
    Role.LEADER: VIEW_COMMON,
    Role.AUDITOR: VIEW_COMMON | {"audit.view_auditevent"},
    Role.ADMINISTRATOR: VIEW_COMMON
    | REGISTRY_WRITE
    | {
        "territory.change_gridcell",
        "accounts.view_membership",
        "accounts.change_membership",
        "accounts.add_sharegrant",
        "accounts.change_sharegrant",
        "audit.view_auditevent",
    },
}


def permissions_for_role(role: str) -> frozenset[str]:
    """The permissions a role grants (empty for an unknown role)."""
    return ROLE_PERMISSIONS.get(role, frozenset())

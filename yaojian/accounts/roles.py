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
    | {
        "territory.change_gridcell",
        "accounts.view_membership",
        "audit.view_auditevent",
        "accounts.oversee_jurisdiction",
    },
    Role.LEADER: VIEW_COMMON | {"accounts.oversee_jurisdiction"},
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


# Apps above accounts (exchange, notices, enforcement …) add their own rows to the matrix from
# their ``AppConfig.ready()`` with :func:`grant_to_roles`, keeping each app's permissions in
# its own ``permissions.py`` (ADR 0008). ``manage.py role_matrix`` prints the whole matrix.
_EXTRA: dict[str, set[str]] = {}


def grant_to_roles(matrix: dict[str, frozenset[str] | set[str]]) -> None:
    """Add an app's permissions to the roles (idempotent; called from ``AppConfig.ready``)."""
    for role, permissions in matrix.items():
        if role not in Role.values:
            raise ValueError(f"unknown role {role!r}")
        _EXTRA.setdefault(role, set()).update(permissions)


def permissions_for_role(role: str) -> frozenset[str]:
    """The permissions a role grants (empty for an unknown role)."""
    return ROLE_PERMISSIONS.get(role, frozenset()) | frozenset(_EXTRA.get(role, ()))


def role_matrix() -> dict[str, frozenset[str]]:
    """Every role with every permission it grants, core and app-contributed."""
    return {role: permissions_for_role(role) for role in Role.values}

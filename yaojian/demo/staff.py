"""Departments, users, memberships and grid cells of the demo province.

Every department kind at its levels (codes ``MPA-540000``, ``SAMR-540102``, ``HC-540100``…),
generated staff in every department, the fixed well-known demo accounts, and several grid
cells per county with officers from that county's market regulator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.models import Department, Membership, User
from yaojian.demo import names
from yaojian.demo.geography import City, Geography, Unit
from yaojian.territory.models import GridCell

# (code prefix, kind, levels)
DEPARTMENT_KINDS = (
    ("MPA", DepartmentKind.DRUG_REGULATOR, ("province", "city")),
    ("SAMR", DepartmentKind.MARKET_REGULATOR, ("province", "city", "county")),
    ("HC", DepartmentKind.HEALTH_COMMISSION, ("province", "city", "county")),
    ("NHSA", DepartmentKind.MEDICAL_INSURANCE, ("province", "city", "county")),
    ("PSB", DepartmentKind.PUBLIC_SECURITY, ("province", "city", "county")),
    ("CT", DepartmentKind.CULTURE_TOURISM, ("province", "city", "county")),
    ("POST", DepartmentKind.OTHER, ("province",)),
)

_I, _C, _H, _S = Role.INSPECTOR, Role.CASE_OFFICER, Role.DEPARTMENT_HEAD, Role.DATA_STEWARD
_L, _A, _ADMIN = Role.LEADER, Role.AUDITOR, Role.ADMINISTRATOR
# Generated staff: roles by (prefix, level); "*" is any other prefix.
STAFF_ROLES: dict[tuple[str, str], tuple[str, ...]] = {
    ("SAMR", "county"): (_H, _I, _I, _I, _I, _C, _C, _S),
    ("*", "county"): (_H, _I, _I, _C),
    ("MPA", "city"): (_H, _L, _I, _I, _I, _C, _C, _S, _ADMIN),
    ("SAMR", "city"): (_H, _L, _I, _I, _I, _C, _C, _S, _ADMIN),
    ("*", "city"): (_H, _I, _I, _C, _S),
    ("MPA", "province"): (_H, _L, _I, _I, _C, _C, _S, _S, _A, _ADMIN),
    ("*", "province"): (_H, _L, _I, _I, _C, _S),
}


@dataclass(frozen=True)
class DemoAccount:
    """A fixed, well-known demo login. ``place``: province, capital, unit1 or unit2."""

    username: str
    role: str
    prefix: str
    place: str
    is_superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin", Role.ADMINISTRATOR, "MPA", "province", is_superuser=True),
    DemoAccount("steward", Role.DATA_STEWARD, "MPA", "province"),
    DemoAccount("leader", Role.LEADER, "MPA", "province"),
    DemoAccount("auditor", Role.AUDITOR, "MPA", "province"),
    DemoAccount("inspector", Role.INSPECTOR, "SAMR", "unit1"),
    DemoAccount("inspector2", Role.INSPECTOR, "SAMR", "unit2"),
    DemoAccount("caseofficer", Role.CASE_OFFICER, "SAMR", "unit1"),
    DemoAccount("head", Role.DEPARTMENT_HEAD, "SAMR", "unit1"),
    DemoAccount("reviewer", Role.LEGAL_REVIEWER, "SAMR", "unit1"),
    DemoAccount("health", Role.INSPECTOR, "HC", "unit1"),
    # The county bureau of the demo county: the one the routing rules and the enforcement
    # handlers notify for 城关区's pharmacies, and the joint tasks' partner.
    DemoAccount("insurance", Role.CASE_OFFICER, "NHSA", "unit1"),
    DemoAccount("police", Role.CASE_OFFICER, "PSB", "capital"),
    DemoAccount("culture", Role.INSPECTOR, "CT", "unit1"),
)
DEMO_USERNAMES = tuple(account.username for account in DEMO_ACCOUNTS)


@dataclass
class Staffing:
    """What the entity phase needs from the structure: departments by role and place."""

    departments: dict[str, Department] = field(default_factory=dict)  # by code
    users_by_department: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    demo_user_ids: set[int] = field(default_factory=set)
    grid_cells: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # unit → cells
    users: int = 0
    memberships: int = 0
    grid_cell_count: int = 0

    def local(self, prefix: str, unit: Unit, geo: Geography) -> Department:
        """The department of ``prefix`` responsible for a unit (county, else city, else province)."""
        for code in (unit.code, unit.city.code, geo.region_code):
            department = self.departments.get(f"{prefix}-{code}")
            if department is not None:
                return department
        raise KeyError(prefix)

    def city(self, prefix: str, city: City, geo: Geography) -> Department:
        return self.departments.get(f"{prefix}-{city.code}") or self.province(prefix, geo)

    def province(self, prefix: str, geo: Geography) -> Department:
        return self.departments[f"{prefix}-{geo.region_code}"]

    def head_of(self, department: Department) -> int | None:
        heads = self.users_by_department.get(department.code, {}).get(Role.DEPARTMENT_HEAD)
        return heads[0] if heads else None


def _department_name(
    prefix: str, level: str, geo: Geography, city: City | None, unit: Unit | None
) -> str:
    key = (prefix, level)
    if (
        level == "province"
        and geo.is_municipality
        and (prefix, "municipality") in names.DEPARTMENT_NAMES
    ):
        key = (prefix, "municipality")
    if (
        level == "county"
        and unit is not None
        and prefix == "PSB"
        and unit.kind == "市辖区"
        and not geo.is_municipality
    ):
        key = (prefix, "county_district")
    return names.DEPARTMENT_NAMES[key].format(
        province=geo.name,
        city=city.name if city else geo.name,
        locality=unit.locality if unit else "",
        short=unit.short if unit else "",
    )


def create_departments(geo: Geography) -> dict[str, Department]:
    """Province, city and county departments of every kind, parents before children."""
    rows: list[Department] = []
    for prefix, kind, levels in DEPARTMENT_KINDS:
        if "province" in levels:
            rows.append(
                Department(
                    code=f"{prefix}-{geo.region_code}",
                    name=_department_name(prefix, "province", geo, None, None),
                    kind=kind,
                    level=DepartmentLevel.PROVINCE,
                    region_id=geo.region_code,
                )
            )
    Department.objects.bulk_create(rows)
    by_code = {d.code: d for d in Department.objects.filter(code__in=[d.code for d in rows])}
    city_rows = []
    for prefix, kind, levels in DEPARTMENT_KINDS:
        if "city" not in levels:
            continue
        for city in geo.cities:
            city_rows.append(
                Department(
                    code=f"{prefix}-{city.code}",
                    name=_department_name(prefix, "city", geo, city, None),
                    kind=kind,
                    level=DepartmentLevel.CITY,
                    region_id=city.code,
                    parent=by_code[f"{prefix}-{geo.region_code}"],
                )
            )
    Department.objects.bulk_create(city_rows)
    by_code.update(
        {d.code: d for d in Department.objects.filter(code__in=[d.code for d in city_rows])}
    )
    county_rows = []
    for prefix, kind, levels in DEPARTMENT_KINDS:
        if "county" not in levels:
            continue
        for unit in geo.units:
            if unit.is_city_itself:
                continue
            parent = (
                by_code.get(f"{prefix}-{unit.city.code}") or by_code[f"{prefix}-{geo.region_code}"]
            )
            county_rows.append(
                Department(
                    code=f"{prefix}-{unit.code}",
                    name=_department_name(prefix, "county", geo, unit.city, unit),
                    kind=kind,
                    level=DepartmentLevel.COUNTY,
                    region_id=unit.code,
                    parent=parent,
                )
            )
    Department.objects.bulk_create(county_rows, batch_size=500)
    by_code.update(
        {d.code: d for d in Department.objects.filter(code__in=[d.code for d in county_rows])}
    )
    return by_code


def _account_department(account: DemoAccount, geo: Geography, staffing: Staffing) -> Department:
    if account.place == "province":
        return staffing.province(account.prefix, geo)
    if account.place == "capital":
        capital = geo.capital
        return (
            staffing.city(account.prefix, capital, geo)
            if capital
            else staffing.province(account.prefix, geo)
        )
    first = geo.units[0]
    if account.place == "unit1":
        return staffing.local(account.prefix, first, geo)
    others = (
        [u for u in geo.units if u.city.code != first.city.code] or list(geo.units[1:2]) or [first]
    )
    return staffing.local(account.prefix, others[0], geo)


def create_staff(
    rng: random.Random, geo: Geography, departments: dict[str, Department], password_hash: str
) -> Staffing:
    """Generated staff for every department, plus the fixed demo accounts."""
    staffing = Staffing(departments=departments)
    users: list[User] = []
    plan: list[tuple[str, str, str]] = []  # (username, department code, role)
    for code, department in sorted(departments.items()):
        prefix = code.split("-", 1)[0]
        level = str(department.level)
        roles = STAFF_ROLES.get((prefix, level)) or STAFF_ROLES[("*", level)]
        for n, role in enumerate(roles, start=1):
            username = f"{code.lower()}-{n:02d}"
            users.append(
                User(
                    username=username,
                    full_name=names.person_name(rng, geo.code),
                    password=password_hash,
                )
            )
            plan.append((username, code, role))
    for account in DEMO_ACCOUNTS:
        department = _account_department(account, geo, staffing)
        users.append(
            User(
                username=account.username,
                full_name=names.person_name(rng, geo.code),
                password=password_hash,
                is_superuser=account.is_superuser,
                is_staff=account.is_superuser,
            )
        )
        plan.append((account.username, department.code, account.role))
    User.objects.bulk_create(users, batch_size=500)
    ids = dict(
        User.objects.filter(username__in=[u.username for u in users]).values_list("username", "id")
    )
    memberships = []
    for username, code, role in plan:
        memberships.append(
            Membership(user_id=ids[username], department=departments[code], role=role)
        )
        if username in DEMO_USERNAMES:
            staffing.demo_user_ids.add(ids[username])
        else:
            staffing.users_by_department.setdefault(code, {}).setdefault(role, []).append(
                ids[username]
            )
    Membership.objects.bulk_create(memberships, batch_size=500)
    staffing.users = len(users)
    staffing.memberships = len(memberships)
    return staffing


def create_grid_cells(rng: random.Random, geo: Geography, staffing: Staffing) -> None:
    """Several grid cells per unit, named after its townships, with market-regulator officers."""
    cells: list[GridCell] = []
    officers: list[tuple[str, str, str, list[int]]] = []  # (code, unit, township, users)
    for unit in geo.units:
        known = len(names.TOWNSHIPS.get(unit.code, ()))
        count = min(known, 8) if known else rng.randint(3, 5)
        market = staffing.local("SAMR", unit, geo)
        inspectors = staffing.users_by_department.get(market.code, {}).get(Role.INSPECTOR, [])
        for n, township in enumerate(names.townships(unit.code, count), start=1):
            code = f"{unit.code}-G{n:02d}"
            cells.append(
                GridCell(
                    code=code,
                    name=names.GRID_CELL_NAME.format(locality=unit.locality, township=township),
                    region_id=unit.code,
                )
            )
            chosen = rng.sample(inspectors, min(len(inspectors), rng.randint(1, 2)))
            officers.append((code, unit.code, township, chosen))
    GridCell.objects.bulk_create(cells, batch_size=500)
    ids = dict(GridCell.objects.filter(code__in=[c.code for c in cells]).values_list("code", "id"))
    through = GridCell.officers.through
    links = [
        through(gridcell_id=ids[code], user_id=user_id)
        for code, _unit, _township, user_ids in officers
        for user_id in user_ids
    ]
    # The fixed inspector is responsible for the first two cells of the first unit.
    inspector_id = User.objects.filter(username="inspector").values_list("id", flat=True).first()
    first = geo.units[0].code
    for code in (f"{first}-G01", f"{first}-G02"):
        if inspector_id and code in ids:
            links.append(through(gridcell_id=ids[code], user_id=inspector_id))
    through.objects.bulk_create(links, batch_size=500, ignore_conflicts=True)
    for code, unit_code, township, _users in officers:
        staffing.grid_cells.setdefault(unit_code, []).append((ids[code], township))
    staffing.grid_cell_count = len(cells)

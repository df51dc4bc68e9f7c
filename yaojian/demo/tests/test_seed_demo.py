"""manage.py seed_demo: a deterministic, valid, realistic demo province."""

from __future__ import annotations

import stat
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import F

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.models import Department, Membership, User
from yaojian.audit.models import AuditEvent
from yaojian.demo.staff import DEMO_USERNAMES
from yaojian.demo.tests.conftest import DEMO_TEST_PASSWORD
from yaojian.registry.choices import (
    EntityKind,
    EthnicMedicine,
    LicenceKind,
    LicenceStatus,
    ProductKind,
)
from yaojian.registry.identifiers import (
    parse_drug_approval_number,
    uscc_region_code,
    validate_id_card_number,
    validate_licence_number,
    validate_unified_social_credit_code,
)
from yaojian.registry.models import (
    Entity,
    EntityPerson,
    EntityProduct,
    Licence,
    LicenceStatusChange,
    Person,
    Product,
)
from yaojian.registry.names import search_key
from yaojian.territory.models import GridCell, Region

pytestmark = pytest.mark.django_db


class RollbackError(Exception):
    """Raised to undo a first seed after taking its snapshot."""


def _seed_and_roll_back(seed, seed_value: int, into: dict[str, object]) -> None:
    with transaction.atomic():
        seed(seed=seed_value)
        into.update(_snapshot())
        raise RollbackError


def _snapshot() -> dict[str, list[tuple[object, ...]]]:
    return {
        "departments": list(Department.objects.order_by("code").values_list("code", "name")),
        "users": list(User.objects.order_by("username").values_list("username", "full_name")),
        "grid_cells": list(GridCell.objects.order_by("code").values_list("code", "name")),
        "entities": list(
            Entity.objects.order_by("unified_social_credit_code").values_list(
                "unified_social_credit_code", "name", "kind", "region_id", "address"
            )
        ),
        "licences": list(
            Licence.objects.order_by("kind", "number").values_list(
                "kind", "number", "status", "valid_from", "entity__unified_social_credit_code"
            )
        ),
        "persons": list(Person.objects.order_by("id_number").values_list("id_number", "name")),
        "products": list(
            Product.objects.order_by("approval_number").values_list("approval_number", "name")
        ),
    }


def test_same_seed_builds_the_same_province(seed):
    # given: a first province, rolled back after a snapshot
    first: dict[str, object] = {}
    with pytest.raises(RollbackError):
        _seed_and_roll_back(seed, 7, first)
    assert Entity.objects.count() == 0
    # when
    seed(seed=7)
    # then
    assert _snapshot() == first
    assert len(first["entities"]) == 300


def test_another_seed_builds_another_province(seed):
    first: dict[str, object] = {}
    with pytest.raises(RollbackError):
        _seed_and_roll_back(seed, 1, first)
    seed(seed=2)
    second = _snapshot()
    assert first["entities"] != second["entities"]
    assert first["persons"] != second["persons"]


def test_every_identifier_passes_the_validators(seed):
    seed()
    region_codes = set(Region.objects.values_list("code", flat=True))
    usccs = list(Entity.objects.values_list("unified_social_credit_code", flat=True))
    assert len(usccs) == 300
    assert len(set(usccs)) == 300
    for code in usccs:
        assert validate_unified_social_credit_code(code) == code
        assert uscc_region_code(code) in region_codes
    for kind, number in Licence.objects.values_list("kind", "number"):
        assert validate_licence_number(kind, number) == number
    for id_number in Person.objects.values_list("id_number", flat=True):
        assert validate_id_card_number(id_number) == id_number
    drugs = Product.objects.filter(kind=ProductKind.DRUG)
    for number, scheme, category in drugs.values_list(
        "approval_number", "approval_scheme", "category"
    ):
        parsed = parse_drug_approval_number(number)
        assert (parsed.normalised, parsed.scheme, parsed.category) == (number, scheme, category)
    for name, key in Entity.objects.values_list("name", "search_key"):
        assert key == search_key(name)


def test_entities_come_in_plausible_proportions(seed):
    seed(entities=2000)
    kinds = Counter(Entity.objects.values_list("kind", flat=True))
    share = {kind: count / 2000 for kind, count in kinds.items()}
    assert sum(kinds.values()) == 2000
    assert 0.30 <= share[EntityKind.SINGLE_PHARMACY] <= 0.46
    assert 0.16 <= share[EntityKind.CHAIN_STORE] <= 0.28
    assert 0.18 <= share[EntityKind.CLINIC] <= 0.30
    assert 0.015 <= share[EntityKind.HOSPITAL] <= 0.05
    assert kinds[EntityKind.MANUFACTURER] == 4
    assert kinds[EntityKind.RETAIL_CHAIN_HQ] == 6
    assert kinds[EntityKind.ONLINE_PLATFORM] == 2
    for kind in (
        EntityKind.WHOLESALER,
        EntityKind.TIBETAN_MEDICINE,
        EntityKind.DEVICE_BUSINESS,
        EntityKind.COSMETICS_BUSINESS,
    ):
        assert kinds[kind] >= 10
    # Every chain store hangs from a chain headquarters.
    stores = Entity.objects.filter(kind=EntityKind.CHAIN_STORE)
    assert not stores.filter(parent__isnull=True).exists()
    assert set(stores.values_list("parent__kind", flat=True)) == {EntityKind.RETAIL_CHAIN_HQ}
    # Lhasa and Shigatse carry more than their share of the 74 counties.
    prefixes = Counter(code[:4] for code in Entity.objects.values_list("region_id", flat=True))
    assert prefixes["5401"] > prefixes["5403"]
    assert prefixes["5401"] > prefixes["5406"]
    assert prefixes["5402"] > prefixes["5425"]


def test_entities_carry_licences_persons_and_products(seed):
    seed(entities=1000)
    pharmacies = Entity.objects.filter(kind=EntityKind.SINGLE_PHARMACY)
    assert not pharmacies.exclude(licences__kind=LicenceKind.DRUG_DISTRIBUTION).exists()
    assert (
        not Entity.objects.filter(kind=EntityKind.MANUFACTURER)
        .exclude(licences__kind=LicenceKind.DRUG_MANUFACTURING)
        .exists()
    )
    assert (
        not Entity.objects.filter(kind=EntityKind.HOSPITAL)
        .exclude(licences__kind=LicenceKind.MEDICAL_PRACTICE)
        .exists()
    )
    assert Licence.objects.filter(kind=LicenceKind.INSURANCE_AGREEMENT).count() >= 200
    assert not pharmacies.filter(legal_representative="").exists()
    assert pharmacies.filter(product_links__relation="sells").distinct().count() == (
        pharmacies.count()
    )
    tibetan = Product.objects.filter(ethnic_medicine=EthnicMedicine.TIBETAN)
    assert tibetan.count() >= 30
    assert tibetan.filter(approval_number__startswith="国药准字Z54").exists()
    assert Product.objects.filter(risk_class="vaccine").count() >= 5
    assert set(Product.objects.values_list("kind", flat=True)) == set(ProductKind.values)
    assert Product.objects.filter(holder__kind=EntityKind.MANUFACTURER).count() >= 20
    assert EntityProduct.objects.filter(relation="holder").count() == (
        Product.objects.filter(holder__isnull=False).count()
    )
    # A few licences were expired, suspended or revoked, each with its history.
    troubled = Licence.objects.exclude(status=LicenceStatus.VALID)
    assert troubled.count() >= 10
    assert LicenceStatusChange.objects.count() == troubled.count()
    assert not troubled.exclude(status_changes__to_status=F("status")).exists()
    # Persons live in their entity's county and belong to its market regulator.
    link = EntityPerson.objects.select_related("entity", "person", "person__department").first()
    assert link.person.region_id == link.entity.region_id
    assert link.person.department.kind == DepartmentKind.MARKET_REGULATOR


def test_departments_of_every_kind_and_users_of_every_role(seed):
    seed()
    kinds = set(Department.objects.values_list("kind", flat=True))
    assert kinds == set(DepartmentKind.values)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    mpa = Department.objects.get(code="MPA-540000")
    assert (mpa.name, mpa.level, mpa.parent) == ("西藏自治区药品监督管理局", "province", None)
    branch = Department.objects.get(code="MPA-540100")
    assert branch.parent == mpa
    county = Department.objects.get(code="SAMR-540102")
    assert county.name == "拉萨市城关区市场监督管理局"
    assert county.parent == Department.objects.get(code="SAMR-540100")
    for code in ("HC-540100", "NHSA-540100", "PSB-540102", "CT-540102", "SAMR-540202"):
        assert Department.objects.filter(code=code).exists()
    assert not Department.objects.filter(code="MPA-540102").exists()


def test_fixed_demo_accounts(seed):
    seed()
    expected = {
        "admin": ("MPA-540000", Role.ADMINISTRATOR),
        "steward": ("MPA-540000", Role.DATA_STEWARD),
        "inspector": ("SAMR-540102", Role.INSPECTOR),
        "inspector2": ("SAMR-540202", Role.INSPECTOR),
        "caseofficer": ("SAMR-540102", Role.CASE_OFFICER),
        "head": ("SAMR-540102", Role.DEPARTMENT_HEAD),
        "reviewer": ("SAMR-540102", Role.LEGAL_REVIEWER),
        "leader": ("MPA-540000", Role.LEADER),
        "auditor": ("MPA-540000", Role.AUDITOR),
        "health": ("HC-540102", Role.INSPECTOR),
        "insurance": ("NHSA-540102", Role.CASE_OFFICER),
        "police": ("PSB-540100", Role.CASE_OFFICER),
        "culture": ("CT-540102", Role.INSPECTOR),
    }
    memberships = {
        m.user.username: (m.department.code, m.role)
        for m in Membership.objects.filter(user__username__in=DEMO_USERNAMES).select_related(
            "user", "department"
        )
    }
    assert memberships == expected
    admin = User.objects.get(username="admin")
    assert (admin.is_superuser, admin.is_staff) == (True, True)
    assert User.objects.filter(is_superuser=True).count() == 1
    assert admin.check_password(DEMO_TEST_PASSWORD)
    assert User.objects.get(username="samr-540102-02").check_password(DEMO_TEST_PASSWORD)
    # The county inspector is responsible for grid cells of 城关区, named after townships.
    cells = GridCell.objects.filter(officers__username="inspector").order_by("code")
    assert [c.code for c in cells] == ["540102-G01", "540102-G02"]
    assert cells[0].name == "拉萨市城关区八廓街道网格"
    assert GridCell.objects.filter(region_id="540102").count() == 8
    assert not GridCell.objects.filter(officers__isnull=True).exists()


def test_one_audit_event_with_the_counts(seed):
    seed()
    event = AuditEvent.objects.get(action="demo.seeded")
    assert event.object_id == "540000"
    assert event.changes["entities"] == 300
    assert event.changes["licences"] == Licence.objects.count()
    assert event.changes["persons"] == Person.objects.count()
    assert event.changes["entity_products"] == EntityProduct.objects.count()
    assert event.changes["users"] == User.objects.count()


def test_if_empty_skips_a_seeded_database(seed):
    seed()
    entities, events = Entity.objects.count(), AuditEvent.objects.count()
    output = seed(if_empty=True, seed=99)
    assert output == "seed_demo: the database already has entities; nothing to do.\n"
    assert (Entity.objects.count(), AuditEvent.objects.count()) == (entities, events)


def test_refuses_to_seed_twice(seed):
    seed()
    users, events = User.objects.count(), AuditEvent.objects.count()
    with pytest.raises(CommandError, match="already has regulated entities"):
        seed(seed=99)
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_unknown_province_writes_nothing(seed):
    with pytest.raises(CommandError, match="not a mainland province code"):
        seed(province="99")
    assert (Department.objects.count(), User.objects.count()) == (0, 0)
    assert not AuditEvent.objects.filter(action="demo.seeded").exists()


def test_beijing_districts_hang_under_the_province(seed):
    seed(province="11")
    assert not Department.objects.filter(level=DepartmentLevel.CITY).exists()
    district = Department.objects.get(code="SAMR-110101")
    assert district.name == "北京市东城区市场监督管理局"
    assert district.parent.code == "SAMR-110000"
    assert Department.objects.get(code="PSB-110000").name == "北京市公安局"
    assert set(Entity.objects.values_list("region_id", flat=True)) <= set(
        Region.objects.filter(parent_id="110000").values_list("code", flat=True)
    )
    assert Membership.objects.get(user__username="inspector2").department.code == "SAMR-110102"
    # unit1 of Beijing is 东城区: the insurance account works at its district bureau.
    assert Membership.objects.get(user__username="insurance").department.code == "NHSA-110101"
    for kind, number in Licence.objects.values_list("kind", "number"):
        assert validate_licence_number(kind, number) == number
    assert Licence.objects.filter(number__startswith="京").exists()


def test_qinghai(seed):
    seed(province="63")
    assert Department.objects.get(code="MPA-630000").name == "青海省药品监督管理局"
    assert (
        Entity.objects.filter(region__code__startswith="6301").count()
        > Entity.objects.filter(region__code__startswith="6327").count()
    )
    assert Membership.objects.get(user__username="inspector").department.code == "SAMR-630102"
    for code in Entity.objects.values_list("unified_social_credit_code", flat=True):
        assert uscc_region_code(code)[:2] == "63"


def test_password_is_generated_once_and_kept_private(seed, settings):
    # when: no --password and no DEMO_PASSWORD
    output = seed(password=None)
    # then
    path = settings.VAR_DIR / "demo_password"
    password = path.read_text(encoding="utf-8").strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert f"demo password generated into {path}" in output
    assert User.objects.get(username="inspector").check_password(password)
    # and demo_accounts shows the same password
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    assert f"Password for all of them: {password}" in out.getvalue()


def test_password_from_the_environment(seed, settings, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "From-env-2026!")
    seed(password=None)
    assert User.objects.get(username="admin").check_password("From-env-2026!")
    assert not (settings.VAR_DIR / "demo_password").exists()


def test_demo_accounts_table(seed):
    seed()
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "  Demo accounts:"
    assert lines[1].split() == ["username", "role", "department", "region"]
    inspector = next(line for line in lines if line.split()[0] == "inspector")
    assert "拉萨市城关区市场监督管理局" in inspector
    assert "城关区 540102" in inspector
    assert len([line for line in lines if line.startswith("    ")]) == 1 + len(DEMO_USERNAMES)


def test_demo_accounts_without_a_seed(db):
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    assert out.getvalue() == "  No demo accounts: run `manage.py seed_demo` first.\n"


def test_planner_statistics_are_refreshed(seed):
    seed()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'registry_entity'")
            assert cursor.fetchone()[0] == 300
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'registry_entity'")
            assert cursor.fetchone()[0] >= 1


@pytest.mark.django_db(transaction=True)
def test_demo_activity_cases_decisions_publications_and_notices(seed):
    """The full demo: cases in every stage, their publications, and problems in inboxes.

    Transactional: the services commit as in `make run`, so their events (the portal's
    publications) fire before the demo head publishes them.
    """
    from yaojian.enforcement.models import Case
    from yaojian.notices.models import Notice, Problem
    from yaojian.portal.models import Publication, TypicalCase

    output = seed(no_activity=False)
    assert "cases: " in output
    department = Membership.objects.get(user__username="caseofficer").department
    cases = Case.objects.filter(department=department)
    assert cases.count() >= 40
    assert cases.values("stage").distinct().count() >= 6
    assert Problem.objects.exists()
    assert Notice.objects.exclude(state="unread").exists()
    # Decided cases reach the portal through enforcement's events; the demo head publishes them.
    assert Publication.objects.filter(status="published").exists()
    assert TypicalCase.objects.filter(is_published=True).count() == 1
    # Every journey of the user guide can be done with the demo accounts: the insurance account
    # receives the pushes its routing sends, and referrals wait for the police account.
    from yaojian.enforcement.models import JointTask
    from yaojian.referrals.models import Referral

    insurance = Membership.objects.get(user__username="insurance").department
    assert Notice.objects.filter(recipient=insurance).exists()
    assert JointTask.objects.filter(department=insurance).exists()
    police = Membership.objects.get(user__username="police").department
    waiting = Referral.objects.filter(police_department=police, state="transferred")
    assert waiting.count() == 2
    assert "referrals waiting for the police: 2" in output
    # Credit files: graded entities, two listings, a banned person, a repair, ledger entries.
    from yaojian.credit.models import CreditGrade, LedgerEntry, Listing, RepairApplication

    assert "credit files: " in output
    assert Listing.objects.count() == 2
    assert CreditGrade.objects.filter(grade="D").exists()
    assert RepairApplication.objects.exists()
    assert LedgerEntry.objects.filter(state="applied").exists()
    # The other decision points hold one decision each, checked and audited (issue 11 item 5).
    from yaojian.credit.models import CheckedDecision

    decisions = CheckedDecision.objects.order_by("id")
    assert sorted(decisions.values_list("action", flat=True)) == ["commitment", "honour", "honour"]
    assert [bool(d.restrictions_overridden) for d in decisions] == [False, False, True]
    assert Licence.objects.filter(number__startswith="P5401029").count() == 1  # designated
    assert AuditEvent.objects.filter(action="registry.licence_holder_changed").count() == 1
    # A joint inspection plan (部门联合抽查) of the demo head with the health commission, drawn:
    # every team has a member of each department. (Whether the ``health`` account itself is
    # drawn depends on the pool of the commission's inspectors, which the seed builds with
    # random ids: not asserted.)
    from yaojian.inspections.models import Assignment, Plan

    joint = Plan.objects.get(title__endswith="部门联合抽查")
    health = Membership.objects.get(user__username="health").department
    assert list(joint.joint_departments.all()) == [health]
    assert joint.department == Membership.objects.get(user__username="head").department
    draw = joint.draws.get()
    teams = Assignment.objects.filter(drawn__draw=draw)
    assert set(teams.values_list("department_id", flat=True)) == {joint.department_id, health.pk}

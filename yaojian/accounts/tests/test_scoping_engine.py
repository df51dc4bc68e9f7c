"""The scoping engine (accounts/scoping.py): who sees and changes which rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from yaojian.accounts.choices import DepartmentKind, Role, ShareKind
from yaojian.accounts.models import Department
from yaojian.accounts.scoping import (
    forget_scope,
    has_permission,
    has_permission_in_region,
    scope_for,
)
from yaojian.accounts.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    ShareGrantFactory,
    UserFactory,
)
from yaojian.registry.models import Entity, Person

pytestmark = pytest.mark.django_db


def _entity(region: str, department: Department, name: str) -> Entity:
    return Entity.objects.create(
        name=name,
        search_key=name,
        kind="single_pharmacy",
        region_id=region,
        registered_by=department,
    )


def _person(region: str, department: Department, name: str) -> Person:
    return Person.objects.create(name=name, region_id=region, department=department)


@pytest.fixture
def county_a(regions):
    return DepartmentFactory(code="SAMR-540102", region_id="540102")


@pytest.fixture
def county_b(regions):
    return DepartmentFactory(code="SAMR-540202", region_id="540202")


def test_county_member_sees_own_county_only(county_a, county_b, user_in_department):
    # given
    mine = _entity("540102", county_a, "城关区甲药房")
    _entity("540202", county_b, "桑珠孜区乙药房")
    user = user_in_department(department=county_a)
    # when
    visible = list(Entity.objects.visible_to(user))
    # then
    assert visible == [mine]


def test_prefecture_member_sees_every_county_below(county_a, user_in_department):
    lhasa = _entity("540102", county_a, "甲")
    linzhou = _entity("540121", county_a, "乙")
    _entity("540202", county_a, "丙")
    user = user_in_department(region="540100")
    assert set(Entity.objects.visible_to(user)) == {lhasa, linzhou}


def test_province_member_sees_whole_province_not_next(county_a, user_in_department):
    tibet = _entity("540102", county_a, "甲")
    _entity("630102", county_a, "青海乙")
    user = user_in_department(region="540000")
    assert list(Entity.objects.visible_to(user)) == [tibet]


def test_anonymous_and_inactive_see_nothing(county_a, user_in_department):
    _entity("540102", county_a, "甲")
    inactive = user_in_department(department=county_a, is_active=False)
    assert list(Entity.objects.visible_to(AnonymousUser())) == []
    assert list(Entity.objects.visible_to(inactive)) == []


def test_superuser_sees_everything(county_a, county_b):
    _entity("540102", county_a, "甲")
    _entity("540202", county_b, "乙")
    assert Entity.objects.visible_to(UserFactory(is_superuser=True)).count() == 2


def test_change_needs_role_permission_in_covering_department(county_a, user_in_department):
    entity = _entity("540102", county_a, "甲")
    inspector = user_in_department(department=county_a, role=Role.INSPECTOR)
    steward = user_in_department(department=county_a, role=Role.DATA_STEWARD)
    other_steward = user_in_department(region="540202", role=Role.DATA_STEWARD)
    assert list(Entity.objects.visible_to(inspector, "change")) == []
    assert list(Entity.objects.visible_to(steward, "change")) == [entity]
    assert list(Entity.objects.visible_to(other_steward, "change")) == []


def test_permission_holds_only_in_that_membership(county_a, county_b):
    # given: steward in county A, mere inspector in county B
    user = UserFactory()
    MembershipFactory(user=user, department=county_a, role=Role.DATA_STEWARD)
    MembershipFactory(user=user, department=county_b, role=Role.INSPECTOR)
    a = _entity("540102", county_a, "甲")
    b = _entity("540202", county_b, "乙")
    # then
    assert set(Entity.objects.visible_to(user)) == {a, b}
    assert list(Entity.objects.visible_to(user, "change")) == [a]
    assert has_permission(user, "registry.change_entity")
    assert has_permission_in_region(user, "registry.change_entity", "540102")
    assert not has_permission_in_region(user, "registry.change_entity", "540202")


def test_department_owned_rows_need_ownership_or_grant(county_a, user_in_department):
    # given: a person owned by the county market regulator
    health = DepartmentFactory(region_id="540102", kind=DepartmentKind.HEALTH_COMMISSION)
    person = _person("540102", county_a, "张三")
    health_officer = user_in_department(department=health)
    owner_officer = user_in_department(department=county_a)
    # Person is region-scoped (names are shared); ownership rules apply to licences' changes.
    assert list(Person.objects.visible_to(owner_officer)) == [person]
    assert list(Person.objects.visible_to(health_officer)) == [person]


def test_share_grant_opens_owned_data_and_expires(county_a, user_in_department):
    from yaojian.accounts.scoping import scope_q

    health = DepartmentFactory(region_id="540102", kind=DepartmentKind.HEALTH_COMMISSION)
    person = _person("540102", county_a, "李四")
    officer = user_in_department(department=health)

    def visible() -> list[Person]:
        forget_scope(officer)
        return list(
            Person.objects.filter(
                scope_q(
                    officer,
                    region_field="region",
                    department_field="department",
                    share_kind=ShareKind.PERSONAL_DATA,
                    permission=None,
                )
            )
        )

    assert visible() == []
    grant = ShareGrantFactory(grantor=county_a, grantee=health, data_kind=ShareKind.PERSONAL_DATA)
    assert visible() == [person]
    grant.expires_at = timezone.now() - dt.timedelta(seconds=1)
    grant.save()
    assert visible() == []
    grant.expires_at = None
    grant.revoked_at = timezone.now()
    grant.save()
    assert visible() == []


def test_grant_of_other_kind_opens_nothing(county_a, user_in_department):
    from yaojian.accounts.scoping import scope_q

    health = DepartmentFactory(region_id="540102", kind=DepartmentKind.HEALTH_COMMISSION)
    _person("540102", county_a, "王五")
    officer = user_in_department(department=health)
    ShareGrantFactory(grantor=county_a, grantee=health, data_kind=ShareKind.LICENCES)
    q = scope_q(
        officer,
        region_field="region",
        department_field="department",
        share_kind=ShareKind.PERSONAL_DATA,
        permission=None,
    )
    assert list(Person.objects.filter(q)) == []


def test_grant_never_gives_write(county_a, user_in_department):
    from yaojian.accounts.scoping import scope_q

    health = DepartmentFactory(region_id="540102", kind=DepartmentKind.HEALTH_COMMISSION)
    _person("540102", county_a, "赵六")
    steward = user_in_department(department=health, role=Role.DATA_STEWARD)
    ShareGrantFactory(grantor=county_a, grantee=health, data_kind=ShareKind.PERSONAL_DATA)
    q = scope_q(
        steward,
        region_field="region",
        department_field="department",
        share_kind=ShareKind.PERSONAL_DATA,
        permission="registry.change_person",
    )
    assert list(Person.objects.filter(q)) == []


def test_inactive_membership_or_department_gives_nothing(county_a, user_in_department):
    _entity("540102", county_a, "甲")
    user = user_in_department(department=county_a)
    user.memberships.update(is_active=False)
    forget_scope(user)
    assert list(Entity.objects.visible_to(user)) == []
    user.memberships.update(is_active=True)
    Department.objects.filter(pk=county_a.pk).update(is_active=False)
    forget_scope(user)
    assert list(Entity.objects.visible_to(user)) == []


def test_scope_is_computed_once_per_user_object(
    county_a, user_in_department, django_assert_num_queries
):
    user = user_in_department(department=county_a)
    forget_scope(user)
    with django_assert_num_queries(2):  # memberships + grants
        scope_for(user)
        scope_for(user)
        scope_for(user)


def test_role_permissions_reach_has_perm(county_a, user_in_department):
    inspector = user_in_department(department=county_a, role=Role.INSPECTOR)
    steward = user_in_department(department=county_a, role=Role.DATA_STEWARD)
    assert inspector.has_perm("registry.view_entity")
    assert not inspector.has_perm("registry.change_entity")
    assert steward.has_perm("registry.change_entity")
    assert not UserFactory().has_perm("registry.view_entity")

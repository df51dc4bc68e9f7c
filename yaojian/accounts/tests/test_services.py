"""Membership and share-grant services: permissions, audit, events, scope refresh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from yaojian.accounts import services
from yaojian.accounts.choices import DepartmentLevel, Role, ShareKind
from yaojian.accounts.events import MembershipAdded, MembershipEnded, ShareGranted, ShareRevoked
from yaojian.accounts.models import Membership, ShareGrant
from yaojian.accounts.scoping import scope_for
from yaojian.accounts.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    ShareGrantFactory,
    UserFactory,
)
from yaojian.audit.models import AuditEvent
from yaojian.core import events

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(regions):
    return DepartmentFactory(code="MPA-540100", region_id="540100", level=DepartmentLevel.CITY)


@pytest.fixture
def county(city):
    return DepartmentFactory(code="MPA-540102", region_id="540102", parent=city)


@pytest.fixture
def other_county(city):
    return DepartmentFactory(code="MPA-540103", region_id="540103", parent=city)


@pytest.fixture
def published():
    """Collect the accounts events delivered to handlers."""
    seen: list[object] = []
    kinds = (MembershipAdded, MembershipEnded, ShareGranted, ShareRevoked)
    for kind in kinds:
        events.subscribe(kind, seen.append)
    yield seen
    for kind in kinds:
        events.unsubscribe(kind, seen.append)


def _audit(action: str):
    return AuditEvent.objects.filter(action=action)


# --- memberships ------------------------------------------------------------------------


def test_administrator_adds_a_member(
    county, user_in_department, published, django_capture_on_commit_callbacks
):
    # given
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    newcomer = UserFactory()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.add_membership(
            actor=admin, user=newcomer, department=county, role=Role.INSPECTOR
        )
    # then
    assert membership.is_active
    assert list(Membership.objects.filter(user_id=newcomer.pk).values_list("role", flat=True)) == [
        Role.INSPECTOR
    ]
    event = _audit("accounts.membership_added").get()
    assert event.actor_id == admin.pk
    assert event.department_id == county.pk
    assert event.changes == {
        "user": newcomer.username,
        "department": county.code,
        "role": "inspector",
    }
    assert published == [
        MembershipAdded(
            membership_id=membership.pk,
            user_id=newcomer.pk,
            department_id=county.pk,
            role=Role.INSPECTOR,
        )
    ]


def test_administrator_of_the_department_above_adds_a_member(city, county, user_in_department):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=city)
    newcomer = UserFactory()
    services.add_membership(actor=admin, user=newcomer, department=county, role=Role.INSPECTOR)
    assert Membership.objects.filter(user_id=newcomer.pk, department=county).count() == 1


@pytest.mark.parametrize("role", [Role.DEPARTMENT_HEAD, Role.INSPECTOR])
def test_member_without_the_permission_cannot_add_members(
    county, user_in_department, published, role, django_capture_on_commit_callbacks
):
    actor = user_in_department(role=role, department=county)
    newcomer = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied),
    ):
        services.add_membership(actor=actor, user=newcomer, department=county, role=Role.INSPECTOR)
    assert Membership.objects.filter(user_id=newcomer.pk).count() == 0
    assert _audit("accounts.membership_added").count() == 0
    assert published == []


def test_administrator_of_a_sibling_department_cannot_add_members(
    county, other_county, user_in_department
):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=other_county)
    newcomer = UserFactory()
    with pytest.raises(PermissionDenied):
        services.add_membership(actor=admin, user=newcomer, department=county, role=Role.INSPECTOR)
    assert Membership.objects.filter(user_id=newcomer.pk).count() == 0
    assert _audit("accounts.membership_added").count() == 0


def test_adding_an_existing_membership_is_refused(county, user_in_department):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    member = user_in_department(role=Role.INSPECTOR, department=county)
    with pytest.raises(ValidationError):
        services.add_membership(actor=admin, user=member, department=county, role=Role.INSPECTOR)
    assert Membership.objects.filter(user=member).count() == 1
    assert _audit("accounts.membership_added").count() == 0


def test_ended_membership_is_reactivated(county, user_in_department):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    old = MembershipFactory(department=county, role=Role.INSPECTOR, is_active=False)
    membership = services.add_membership(
        actor=admin, user=old.user, department=county, role=Role.INSPECTOR
    )
    assert membership.pk == old.pk
    assert Membership.objects.get(pk=old.pk).is_active


def test_ending_a_membership_removes_its_scope_at_once(
    county, user_in_department, published, django_capture_on_commit_callbacks
):
    # given
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    member = user_in_department(role=Role.INSPECTOR, department=county)
    assert scope_for(member).department_ids == {county.pk}
    membership = Membership.objects.get(user=member)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.end_membership(actor=admin, membership=membership, reason="调岗")
    # then
    assert not Membership.objects.get(pk=membership.pk).is_active
    assert scope_for(membership.user).department_ids == frozenset()
    event = _audit("accounts.membership_ended").get()
    assert event.reason == "调岗"
    assert [type(e) for e in published] == [MembershipEnded]


def test_ending_an_ended_membership_is_refused(county, user_in_department):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    membership = MembershipFactory(department=county, is_active=False)
    with pytest.raises(ValidationError):
        services.end_membership(actor=admin, membership=membership)
    assert _audit("accounts.membership_ended").count() == 0


def test_ending_a_membership_needs_the_permission(county, user_in_department):
    head = user_in_department(role=Role.DEPARTMENT_HEAD, department=county)
    membership = MembershipFactory(department=county)
    with pytest.raises(PermissionDenied):
        services.end_membership(actor=head, membership=membership)
    assert Membership.objects.get(pk=membership.pk).is_active
    assert _audit("accounts.membership_ended").count() == 0


# --- share grants -----------------------------------------------------------------------


def test_administrator_grants_a_share_and_their_scope_sees_it(
    county, other_county, user_in_department, published, django_capture_on_commit_callbacks
):
    # given: the administrator is also a member of the receiving department
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    MembershipFactory(user=admin, department=other_county, role=Role.INSPECTOR)
    assert scope_for(admin).grantors(ShareKind.PERSONAL_DATA, other_county.pk) == frozenset()
    expires = timezone.now() + dt.timedelta(days=30)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        grant = services.grant_share(
            actor=admin,
            grantor=county,
            grantee=other_county,
            data_kind=ShareKind.PERSONAL_DATA,
            legal_basis="  《药品管理法》第一百零七条 ",
            expires_at=expires,
        )
    # then
    assert grant.legal_basis == "《药品管理法》第一百零七条"
    assert ShareGrant.objects.filter(ShareGrant.active_q()).get() == grant
    assert scope_for(admin).grantors(ShareKind.PERSONAL_DATA, other_county.pk) == {county.pk}
    event = _audit("accounts.share_granted").get()
    assert event.department_id == county.pk
    assert event.changes["grantee"] == other_county.code
    assert published == [
        ShareGranted(
            grant_id=grant.pk,
            grantor_id=county.pk,
            grantee_id=other_county.pk,
            data_kind=ShareKind.PERSONAL_DATA,
        )
    ]


def test_granting_needs_the_permission_in_the_granting_department(
    county, other_county, user_in_department
):
    # an administrator of the receiving department cannot open the granting one's data
    admin = user_in_department(role=Role.ADMINISTRATOR, department=other_county)
    with pytest.raises(PermissionDenied):
        services.grant_share(
            actor=admin,
            grantor=county,
            grantee=other_county,
            data_kind=ShareKind.REGISTRY,
            legal_basis="协议",
        )
    assert ShareGrant.objects.count() == 0
    assert _audit("accounts.share_granted").count() == 0


def test_administrator_above_may_grant_for_a_department_below(
    city, county, other_county, user_in_department
):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=city)
    services.grant_share(
        actor=admin,
        grantor=county,
        grantee=other_county,
        data_kind=ShareKind.REGISTRY,
        legal_basis="协议",
    )
    assert ShareGrant.objects.filter(grantor=county, grantee=other_county).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"grantee": "self"}, "grantee"),
        ({"expires_at": "past"}, "expires_at"),
        ({"legal_basis": "   "}, "legal_basis"),
        ({"data_kind": "everything"}, "data_kind"),
    ],
)
def test_invalid_grants_are_refused(county, other_county, user_in_department, change, field):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    arguments = {
        "grantee": other_county,
        "data_kind": ShareKind.REGISTRY,
        "legal_basis": "协议",
        "expires_at": None,
    }
    arguments.update(change)
    if arguments["grantee"] == "self":
        arguments["grantee"] = county
    if arguments["expires_at"] == "past":
        arguments["expires_at"] = timezone.now() - dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        services.grant_share(actor=admin, grantor=county, **arguments)
    assert list(error.value.error_dict) == [field]
    assert ShareGrant.objects.count() == 0
    assert _audit("accounts.share_granted").count() == 0


def test_a_grant_already_in_force_is_not_duplicated(county, other_county, user_in_department):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    ShareGrantFactory(grantor=county, grantee=other_county, data_kind=ShareKind.REGISTRY)
    with pytest.raises(ValidationError):
        services.grant_share(
            actor=admin,
            grantor=county,
            grantee=other_county,
            data_kind=ShareKind.REGISTRY,
            legal_basis="协议",
        )
    assert ShareGrant.objects.count() == 1


def test_revoking_a_grant_ends_it_and_is_audited_with_the_reason(
    county, other_county, user_in_department, published, django_capture_on_commit_callbacks
):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    grant = ShareGrantFactory(grantor=county, grantee=other_county)
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_share(actor=admin, grant=grant, reason="协议到期")
    assert ShareGrant.objects.filter(ShareGrant.active_q()).count() == 0
    event = _audit("accounts.share_revoked").get()
    assert event.reason == "协议到期"
    assert [type(e) for e in published] == [ShareRevoked]


def test_revoking_twice_is_refused(county, other_county, user_in_department):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    grant = ShareGrantFactory(grantor=county, grantee=other_county, revoked_at=timezone.now())
    with pytest.raises(ValidationError):
        services.revoke_share(actor=admin, grant=grant)
    assert _audit("accounts.share_revoked").count() == 0


def test_revoking_needs_the_permission(county, other_county, user_in_department):
    head = user_in_department(role=Role.DEPARTMENT_HEAD, department=county)
    grant = ShareGrantFactory(grantor=county, grantee=other_county)
    with pytest.raises(PermissionDenied):
        services.revoke_share(actor=head, grant=grant)
    assert ShareGrant.objects.get(pk=grant.pk).revoked_at is None
    assert _audit("accounts.share_revoked").count() == 0


def test_superuser_may_manage_any_department(county, system_user):
    newcomer = UserFactory()
    services.add_membership(actor=system_user, user=newcomer, department=county, role=Role.AUDITOR)
    assert Membership.objects.filter(user_id=newcomer.pk, role=Role.AUDITOR).count() == 1

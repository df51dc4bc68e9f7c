"""Profile, department page, member and share-grant pages."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from yaojian.accounts.choices import DepartmentLevel, Role, ShareKind
from yaojian.accounts.models import Membership, ShareGrant
from yaojian.accounts.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    ShareGrantFactory,
    UserFactory,
)
from yaojian.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(regions):
    return DepartmentFactory(code="MPA-540100", region_id="540100", level=DepartmentLevel.CITY)


@pytest.fixture
def county(city):
    return DepartmentFactory(
        code="MPA-540102", name="城关区药监局", region_id="540102", parent=city
    )


@pytest.fixture
def other_county(city):
    return DepartmentFactory(
        code="MPA-540103", name="堆龙德庆区药监局", region_id="540103", parent=city
    )


def test_profile_lists_departments_roles_permissions_and_grants(
    client, county, other_county, user_in_department
):
    # given
    user = user_in_department(role=Role.AUDITOR, department=county)
    ShareGrantFactory(grantor=other_county, grantee=county, data_kind=ShareKind.LICENCES)
    ShareGrantFactory(grantor=county, grantee=other_county, data_kind=ShareKind.REGISTRY)
    client.force_login(user)
    # when
    response = client.get(reverse("accounts:profile"))
    # then
    assert response.status_code == 200
    profile = response.context["profile"]
    assert [s.membership.department for s in profile.memberships] == [county]
    codes = [code for code, _ in profile.memberships[0].permissions]
    assert "audit.view_auditevent" in codes
    assert "registry.change_entity" not in codes
    assert [g.data_kind for g in profile.grants_received] == [ShareKind.LICENCES]
    assert [g.data_kind for g in profile.grants_given] == [ShareKind.REGISTRY]
    assert "城关区药监局" in response.text


def test_member_sees_the_members_and_grants_of_their_department(
    client, county, other_county, user_in_department
):
    user = user_in_department(role=Role.INSPECTOR, department=county)
    colleague = user_in_department(role=Role.CASE_OFFICER, department=county)
    ShareGrantFactory(grantor=county, grantee=other_county)
    client.force_login(user)
    response = client.get(reverse("accounts:department_detail", args=[county.public_id]))
    assert response.status_code == 200
    assert [m.user for m in response.context["members"]] == sorted(
        [user, colleague], key=lambda u: u.username
    )
    assert [g.grantee for g in response.context["grants_given"]] == [other_county]
    assert 'data-testid="member-add-form"' not in response.text


def test_outsider_sees_the_department_but_not_its_members(
    client, county, other_county, user_in_department
):
    outsider = user_in_department(role=Role.INSPECTOR, department=other_county)
    client.force_login(outsider)
    response = client.get(reverse("accounts:department_detail", args=[county.public_id]))
    assert response.status_code == 200
    assert response.context["show_details"] is False
    assert 'id="department-members"' not in response.text


def test_unknown_department_is_404(client, county, user_in_department):
    client.force_login(user_in_department(department=county))
    response = client.get(reverse("accounts:department_detail", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_administrator_adds_a_member_on_the_department_page(client, county, user_in_department):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    newcomer = UserFactory()
    client.force_login(admin)
    response = client.post(
        reverse("accounts:membership_add", args=[county.public_id]),
        {"username": newcomer.username, "role": Role.INSPECTOR},
    )
    assert response.status_code == 302
    assert (
        Membership.objects.filter(user_id=newcomer.pk, department=county, is_active=True).count()
        == 1
    )


def test_adding_an_unknown_username_rerenders_the_form_with_422(client, county, user_in_department):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    before = Membership.objects.count()
    response = client.post(
        reverse("accounts:membership_add", args=[county.public_id]),
        {"username": "nobody-has-this-name", "role": Role.INSPECTOR},
    )
    assert response.status_code == 422
    assert response.context["member_form"].errors == {
        "username": ["No active user has this username."]
    }
    assert Membership.objects.count() == before


def test_member_without_permission_cannot_add_members(client, county, user_in_department):
    head = user_in_department(role=Role.DEPARTMENT_HEAD, department=county)
    newcomer = UserFactory()
    client.force_login(head)
    response = client.post(
        reverse("accounts:membership_add", args=[county.public_id]),
        {"username": newcomer.username, "role": Role.INSPECTOR},
    )
    assert response.status_code == 403
    assert Membership.objects.filter(user_id=newcomer.pk).count() == 0
    assert AuditEvent.objects.filter(action="accounts.membership_added").count() == 0


def test_administrator_ends_a_membership(client, county, user_in_department):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    membership = MembershipFactory(department=county, role=Role.INSPECTOR)
    client.force_login(admin)
    response = client.post(
        reverse("accounts:membership_end", args=[county.public_id]),
        {"user": membership.user.public_id, "role": Role.INSPECTOR, "reason": "退休"},
    )
    assert response.status_code == 302
    assert not Membership.objects.get(pk=membership.pk).is_active
    assert AuditEvent.objects.get(action="accounts.membership_ended").reason == "退休"


def test_sharegrant_form_is_for_administrators_only(client, county, user_in_department):
    inspector = user_in_department(role=Role.INSPECTOR, department=county)
    client.force_login(inspector)
    response = client.get(reverse("accounts:sharegrant_create", args=[county.public_id]))
    assert response.status_code == 403


def test_administrator_grants_a_share_through_the_form(
    client, county, other_county, user_in_department
):
    # given
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    client.force_login(admin)
    url = reverse("accounts:sharegrant_create", args=[county.public_id])
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert county not in form_page.context["form"].fields["grantee"].queryset
    # when
    response = client.post(
        url,
        {
            "grantee": other_county.pk,
            "data_kind": ShareKind.PERSONAL_DATA,
            "legal_basis": "《药品管理法》第一百零七条",
            "expires_at": "",
        },
    )
    # then
    assert response.status_code == 302
    grant = ShareGrant.objects.get()
    assert (grant.grantor, grant.grantee, grant.data_kind) == (
        county,
        other_county,
        ShareKind.PERSONAL_DATA,
    )
    assert grant.expires_at is None


def test_invalid_sharegrant_rerenders_with_422(client, county, other_county, user_in_department):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("accounts:sharegrant_create", args=[county.public_id]),
        {
            "grantee": other_county.pk,
            "data_kind": ShareKind.REGISTRY,
            "legal_basis": "协议",
            "expires_at": "2001-01-01T00:00",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"expires_at": ["The expiry must lie in the future."]}
    assert ShareGrant.objects.count() == 0


def test_administrator_revokes_a_grant(client, county, other_county, user_in_department):
    admin = user_in_department(role=Role.ADMINISTRATOR, department=county)
    grant = ShareGrantFactory(grantor=county, grantee=other_county)
    client.force_login(admin)
    response = client.post(
        reverse("accounts:sharegrant_revoke", args=[grant.public_id]), {"reason": "到期"}
    )
    assert response.status_code == 302
    assert ShareGrant.objects.get(pk=grant.pk).revoked_at is not None


def test_grantee_cannot_revoke_a_grant(client, county, other_county, user_in_department):
    admin_of_grantee = user_in_department(role=Role.ADMINISTRATOR, department=other_county)
    grant = ShareGrantFactory(grantor=county, grantee=other_county)
    client.force_login(admin_of_grantee)
    response = client.post(reverse("accounts:sharegrant_revoke", args=[grant.public_id]))
    assert response.status_code == 403
    assert ShareGrant.objects.get(pk=grant.pk).revoked_at is None
    assert AuditEvent.objects.filter(action="accounts.share_revoked").count() == 0

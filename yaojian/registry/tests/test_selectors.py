"""Registry reads: who sees which entities, what a search finds, who may read personal data."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import ShareGrantFactory
from yaojian.registry.choices import EntityKind, LicenceStatus
from yaojian.registry.models import Entity
from yaojian.registry.selectors import (
    can_see_personal_data,
    entities_visible_to,
    entity_profile,
    get_entity_for_user,
    region_choices,
    search_entities,
    search_products,
)
from yaojian.registry.services import add_licence, transition_licence, update_entity
from yaojian.registry.tests.factories import (
    EntityFactory,
    EntityPersonFactory,
    LicenceFactory,
    PersonFactory,
    ProductFactory,
    uscc_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(drug_regulator):
    """One entity in each of 城关区, 堆龙德庆区 (both 拉萨市) and 桑珠孜区 (日喀则市)."""
    return {
        code: EntityFactory(region_id=code, registered_by=drug_regulator)
        for code in ("540102", "540103", "540202")
    }


@pytest.mark.parametrize(
    ("region", "sees"),
    [
        ("540102", {"540102"}),
        ("540100", {"540102", "540103"}),
        ("540000", {"540102", "540103", "540202"}),
        ("110000", set()),
    ],
)
def test_entities_visible_by_jurisdiction(user_in_department, spread, region, sees):
    user = user_in_department(role=Role.INSPECTOR, region=region)
    assert {e.region_id for e in entities_visible_to(user)} == sees


def test_anonymous_sees_no_entity(spread):
    assert list(entities_visible_to(AnonymousUser())) == []


def test_change_scope_needs_the_permission(user_in_department, spread, drug_regulator):
    inspector = user_in_department(role=Role.INSPECTOR, department=drug_regulator)
    steward = user_in_department(role=Role.DATA_STEWARD, department=drug_regulator)
    assert list(entities_visible_to(inspector, "change")) == []
    assert list(entities_visible_to(steward, "change")) == [spread["540102"]]


def test_get_entity_for_user_hides_missing_and_forbidden_alike(user_in_department, spread):
    user = user_in_department(role=Role.INSPECTOR, region="540102")
    assert get_entity_for_user(user, spread["540102"].public_id) == spread["540102"]
    for public_id in (spread["540202"].public_id, uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(Entity.DoesNotExist):
            get_entity_for_user(user, public_id)
    with pytest.raises(Entity.DoesNotExist):
        get_entity_for_user(user, spread["540102"].public_id, action="change")


def test_search_by_name_fragment_ignores_width_spaces_and_punctuation(steward, drug_regulator):
    hit = EntityFactory(name="西藏奇正藏药（拉萨）有限公司", registered_by=drug_regulator)
    EntityFactory(name="西藏雪域药房", registered_by=drug_regulator)
    for q in ("奇正", "奇 正", "奇\u3000正", "奇正藏药（拉萨"):
        assert list(search_entities(steward, q=q)) == [hit]


def test_search_by_credit_code_and_licence_number(steward, entity, licence, drug_regulator):
    EntityFactory(registered_by=drug_regulator)
    spaced = " ".join(entity.unified_social_credit_code.lower())
    assert list(search_entities(steward, q=spaced)) == [entity]
    assert list(search_entities(steward, q=licence.number.lower())) == [entity]


def test_search_counts_an_entity_once_with_several_matching_licences(steward, entity):
    LicenceFactory(entity=entity, issued_by=entity.registered_by, status=LicenceStatus.VALID)
    LicenceFactory(entity=entity, issued_by=entity.registered_by, status=LicenceStatus.VALID)
    assert list(search_entities(steward, licence_status=LicenceStatus.VALID)) == [entity]


def test_search_filters(user_in_department, spread, drug_regulator):
    province = user_in_department(role=Role.INSPECTOR, region="540000")
    hospital = EntityFactory(
        region_id="540103", kind=EntityKind.HOSPITAL, registered_by=drug_regulator
    )
    LicenceFactory(entity=spread["540202"], status=LicenceStatus.REVOKED)
    assert set(search_entities(province, region="540100")) == {
        spread["540102"],
        spread["540103"],
        hospital,
    }
    assert list(search_entities(province, region="540100", kind=EntityKind.HOSPITAL)) == [hospital]
    assert list(search_entities(province, licence_status=LicenceStatus.REVOKED)) == [
        spread["540202"]
    ]


def test_search_is_ordered_by_name(steward, drug_regulator):
    names = ["乙药房", "甲药房", "丙药房"]
    for name in names:
        EntityFactory(name=name, registered_by=drug_regulator)
    assert [e.name for e in search_entities(steward)] == sorted(names)


def test_region_choices_follow_the_jurisdiction(user_in_department):
    county = user_in_department(role=Role.INSPECTOR, region="540102")
    city = user_in_department(role=Role.INSPECTOR, region="540200")
    assert region_choices(county) == [("540102", "拉萨市 / 城关区")]
    choices = dict(region_choices(city))
    assert choices["540200"] == "日喀则市"
    assert choices["540202"] == "日喀则市 / 桑珠孜区"
    assert "540102" not in choices
    assert region_choices(county, "registry.add_entity") == []


def test_search_products(steward):
    tibetan = ProductFactory(name="七十味珍珠丸", ethnic_medicine="tibetan")
    device = ProductFactory(kind="device", name="血糖仪", approval_number="藏械注准20242070001")
    assert list(search_products(steward, q="珍珠")) == [tibetan]
    assert list(search_products(steward, q="藏械注准2024")) == [device]
    assert list(search_products(steward, tibetan=True)) == [tibetan]
    assert list(search_products(steward, kind="device")) == [device]
    assert list(search_products(steward, tibetan=False)) == [device]


# --- personal data ----------------------------------------------------------------------


def test_personal_data_matrix(
    user_in_department, person, drug_regulator, health_commission, system_user
):
    same_inspector = user_in_department(role=Role.INSPECTOR, department=drug_regulator)
    same_leader = user_in_department(role=Role.LEADER, department=drug_regulator)
    other_county = user_in_department(role=Role.INSPECTOR, region="540103")
    doctor = user_in_department(role=Role.INSPECTOR, department=health_commission)
    assert can_see_personal_data(same_inspector, person)
    assert can_see_personal_data(system_user, person)
    assert not can_see_personal_data(same_leader, person)
    assert not can_see_personal_data(other_county, person)
    assert not can_see_personal_data(doctor, person)
    assert not can_see_personal_data(AnonymousUser(), person)


YESTERDAY = object()


@pytest.mark.parametrize(
    ("grant", "sees"),
    [
        ({}, True),
        ({"revoked_at": YESTERDAY}, False),
        ({"expires_at": YESTERDAY}, False),
        ({"data_kind": "registry"}, False),
    ],
)
def test_share_grant_opens_personal_data_while_in_force(
    user_in_department, person, drug_regulator, health_commission, grant, sees
):
    yesterday = timezone.now() - dt.timedelta(days=1)
    values = {
        "grantor": drug_regulator,
        "grantee": health_commission,
        "data_kind": "personal_data",
        "valid_from": yesterday - dt.timedelta(days=30),
    }
    values.update({key: yesterday if value is YESTERDAY else value for key, value in grant.items()})
    ShareGrantFactory(**values)
    doctor = user_in_department(role=Role.INSPECTOR, department=health_commission)
    assert can_see_personal_data(doctor, person) is sees


# --- the profile ------------------------------------------------------------------------


def test_profile_collects_licences_persons_and_history(steward, entity, drug_regulator):
    licence = add_licence(
        actor=steward,
        entity=entity,
        kind="drug_distribution",
        number="藏DA891000555",
        valid_from=dt.date(2024, 1, 1),
    )
    transition_licence(actor=steward, licence=licence, to_status="suspended", reason="整改")
    update_entity(actor=steward, entity=entity, address="新地址1号")
    current = EntityPersonFactory(entity=entity, person__department=drug_regulator)
    past = EntityPersonFactory(
        entity=entity, person__department=drug_regulator, ended_on=dt.date(2025, 1, 1)
    )
    profile = entity_profile(steward, entity)
    assert profile.licences == [licence]
    assert [c.to_status for c in profile.licences[0].status_changes.all()] == [
        "valid",
        "suspended",
    ]
    assert profile.changeable_licence_ids == frozenset({licence.pk})
    assert [row.link for row in profile.current_persons] == [current]
    assert [row.link for row in profile.past_persons] == [past]
    assert profile.current_persons[0].can_reveal
    assert profile.current_persons[0].masked_id_number.count("*") == 8
    assert [event.action for event in profile.history] == [
        "registry.entity_updated",
        "registry.licence_status_changed",
        "registry.licence_added",
    ]
    assert profile.can_change
    assert profile.can_add_licence


def test_profile_history_only_for_auditors_and_the_registering_department(
    user_in_department, entity, drug_regulator, health_commission
):
    colleague = user_in_department(role=Role.INSPECTOR, department=drug_regulator)
    auditor = user_in_department(role=Role.AUDITOR, department=health_commission)
    doctor = user_in_department(role=Role.INSPECTOR, department=health_commission)
    assert entity_profile(colleague, entity).history == []
    assert entity_profile(auditor, entity).history == []
    assert entity_profile(doctor, entity).history is None


def test_profile_masks_for_members_without_the_right(user_in_department, entity, health_commission):
    owner_person = PersonFactory(department=entity.registered_by)
    EntityPersonFactory(entity=entity, person=owner_person)
    doctor = user_in_department(role=Role.INSPECTOR, department=health_commission)
    row = entity_profile(doctor, entity).current_persons[0]
    assert not row.can_reveal
    assert row.masked_phone == owner_person.phone[:3] + "****" + owner_person.phone[-4:]
    assert not entity_profile(doctor, entity).can_change


def test_uscc_factory_codes_are_unique_and_valid():
    from yaojian.registry.identifiers import validate_unified_social_credit_code

    codes = {uscc_for(n) for n in range(50)}
    assert len(codes) == 50
    assert all(validate_unified_social_credit_code(code) == code for code in codes)

"""The registry's services: behaviour, validation per field, audit rows, events, no half-writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import DepartmentFactory, ShareGrantFactory, UserFactory
from yaojian.audit.models import AuditEvent
from yaojian.registry import names
from yaojian.registry.choices import (
    EntityKind,
    EntityStatus,
    EthnicMedicine,
    LicenceKind,
    LicenceStatus,
    PersonRole,
    ProductKind,
    ProductRelation,
    RiskClass,
)
from yaojian.registry.events import EntityCreated, EntityUpdated, LicenceStatusChanged
from yaojian.registry.identifiers import make_id_card_number
from yaojian.registry.models import (
    Entity,
    EntityPerson,
    EntityProduct,
    Licence,
    LicenceStatusChange,
    Person,
    Product,
)
from yaojian.registry.services import (
    add_licence,
    create_entity,
    create_person,
    create_product,
    end_person_link,
    link_person,
    link_product,
    reveal_personal_data,
    transition_licence,
    update_entity,
    update_product,
)
from yaojian.registry.tests.factories import (
    EntityFactory,
    EntityPersonFactory,
    EntityProductFactory,
    LicenceFactory,
    ProductFactory,
    uscc_for,
)
from yaojian.territory.models import GridCell

pytestmark = pytest.mark.django_db

VALID_USCC = uscc_for(900001)
_ID_NUMBER = make_id_card_number("540102", dt.date(1990, 5, 17), 7)
WRONG_CHECK_ID_NUMBER = _ID_NUMBER[:17] + ("1" if _ID_NUMBER[17] != "1" else "2")


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str | None]]:
    """{field: [codes]} of a raised ValidationError."""
    return {
        field: [error.code for error in errors] for field, errors in exc.value.error_dict.items()
    }


def registry_audit() -> list[str]:
    """The actions of the registry's audit events (the region load writes one of its own)."""
    return list(
        AuditEvent.objects.filter(action__startswith="registry.").values_list("action", flat=True)
    )


def messages_of(exc: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    with translation.override("en"):
        return [str(message) for message in exc.value.message_dict[field]]


def new_entity(actor, **overrides):
    values = {
        "actor": actor,
        "name": "城关区雪域大药房",
        "kind": EntityKind.SINGLE_PHARMACY,
        "region_code": "540102",
    }
    values.update(overrides)
    return create_entity(**values)


# --- create_entity ----------------------------------------------------------------------


def test_create_entity_writes_row_audit_and_event(
    steward, drug_regulator, published, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        entity = new_entity(
            steward,
            unified_social_credit_code=VALID_USCC.lower(),
            address="北京中路1号",
            legal_representative="次仁",
        )
    # then
    entity.refresh_from_db()
    assert entity.name == "城关区雪域大药房"
    assert entity.search_key == names.search_key("城关区雪域大药房")
    assert entity.unified_social_credit_code == VALID_USCC
    assert entity.region_id == "540102"
    assert entity.status == EntityStatus.ACTIVE
    assert entity.registered_by == drug_regulator
    event = AuditEvent.objects.get(action="registry.entity_created")
    assert event.actor == steward
    assert event.department == drug_regulator
    assert event.object_type == "registry.entity"
    assert event.object_id == str(entity.public_id)
    assert event.changes["name"] == [None, "城关区雪域大药房"]
    assert event.changes["unified_social_credit_code"] == [None, VALID_USCC]
    assert event.changes["registered_by"] == [None, drug_regulator.code]
    assert published == [
        EntityCreated(
            entity_id=entity.pk,
            public_id=str(entity.public_id),
            region_code="540102",
            kind=EntityKind.SINGLE_PHARMACY,
            actor_id=steward.pk,
        )
    ]


def test_create_entity_stores_markup_as_plain_text(steward):
    entity = new_entity(steward, name="<script>alert(1)</script>药房")
    assert Entity.objects.get(pk=entity.pk).name == "<script>alert(1)</script>药房"


def test_create_entity_accepts_full_width_region_code(steward):
    entity = new_entity(steward, region_code="５４０１０２")
    assert entity.region_id == "540102"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        (
            {"unified_social_credit_code": "91540102MA6T0000X1"},
            "unified_social_credit_code",
            "invalid_uscc",
        ),
        ({"unified_social_credit_code": "123"}, "unified_social_credit_code", "invalid_uscc"),
        ({"name": "药" * 201}, "name", "max_length"),
        ({"address": "路" * 256}, "address", "max_length"),
        ({"legal_representative": "名" * 65}, "legal_representative", "max_length"),
        ({"name": ""}, "name", "blank"),
        ({"name": "（）·"}, "name", "invalid_name"),
        ({"name": "药房\x00"}, "name", "control_characters"),
        ({"name": "药房\u202e"}, "name", "control_characters"),
        ({"name": "药\n房"}, "name", "control_characters"),
        ({"address": "北京中路\x07"}, "address", "control_characters"),
        ({"kind": "casino"}, "kind", "invalid_choice"),
        ({"region_code": "54x102"}, "region_code", "invalid_region_code"),
        ({"region_code": "549999"}, "region_code", "unknown_region"),
        ({"region_code": "540125"}, "region_code", "abolished_region"),
        ({"region_code": "540202"}, "region_code", "outside_jurisdiction"),
    ],
)
def test_create_entity_rejects_bad_input_and_writes_nothing(steward, overrides, field, code):
    with pytest.raises(ValidationError) as exc:
        new_entity(steward, **overrides)
    assert errors_of(exc) == {field: [code]}
    assert Entity.objects.count() == 0
    assert not registry_audit()


def test_create_entity_reports_every_bad_field_at_once(steward):
    with pytest.raises(ValidationError) as exc:
        new_entity(steward, name="", region_code="549999", unified_social_credit_code="X")
    assert errors_of(exc) == {
        "name": ["blank"],
        "region_code": ["unknown_region"],
        "unified_social_credit_code": ["invalid_uscc"],
    }


def test_duplicate_credit_code_names_the_registered_entity(steward, entity):
    with pytest.raises(ValidationError) as exc:
        new_entity(steward, unified_social_credit_code=entity.unified_social_credit_code)
    assert errors_of(exc) == {"unified_social_credit_code": ["duplicate_uscc"]}
    assert messages_of(exc, "unified_social_credit_code") == [
        f"The unified social credit code {entity.unified_social_credit_code} is already "
        f"registered to “{entity.name}” (城关区)."
    ]
    assert Entity.objects.count() == 1
    assert not registry_audit()


def test_abolished_region_message_names_the_successor(user_in_department):
    city_steward = user_in_department(role=Role.DATA_STEWARD, region="540100")
    with pytest.raises(ValidationError) as exc:
        new_entity(city_steward, region_code="540125")
    assert messages_of(exc, "region_code") == [
        "The administrative division 540125 (堆龙德庆县) has been abolished; "
        "use 堆龙德庆区（540103） instead."
    ]


def test_region_outside_jurisdiction_message(steward):
    with pytest.raises(ValidationError) as exc:
        new_entity(steward, region_code="540202")
    assert messages_of(exc, "region_code") == ["桑珠孜区 lies outside your jurisdiction."]


def test_create_entity_without_permission_is_denied(user_in_department):
    inspector = user_in_department(role=Role.INSPECTOR)
    with pytest.raises(PermissionDenied):
        new_entity(inspector)
    assert Entity.objects.count() == 0
    assert not registry_audit()


def test_create_entity_checks_grid_cell_lies_in_region(user_in_department, regions):
    city_steward = user_in_department(role=Role.DATA_STEWARD, region="540100")
    other_county = GridCell.objects.create(code="540103-G01", name="东嘎网格", region_id="540103")
    with pytest.raises(ValidationError) as exc:
        new_entity(city_steward, region_code="540102", grid_cell=other_county)
    assert errors_of(exc) == {"grid_cell": ["grid_cell_outside_region"]}


def test_create_entity_with_grid_cell_and_headquarters(steward, grid_cell, entity):
    branch = new_entity(steward, kind=EntityKind.CHAIN_STORE, grid_cell=grid_cell, parent=entity)
    branch.refresh_from_db()
    assert branch.grid_cell == grid_cell
    assert branch.parent == entity


def test_create_entity_refuses_department_of_someone_else(steward, health_commission):
    with pytest.raises(ValidationError) as exc:
        new_entity(steward, registered_by=health_commission)
    assert errors_of(exc) == {"registered_by": ["not_your_department"]}


def test_system_actor_must_name_the_registering_department(system_user, drug_regulator):
    with pytest.raises(ValidationError) as exc:
        new_entity(system_user)
    assert errors_of(exc) == {"registered_by": ["required"]}
    entity = new_entity(system_user, registered_by=drug_regulator)
    assert entity.registered_by == drug_regulator


# --- update_entity ----------------------------------------------------------------------


def test_update_entity_audits_the_changed_fields_only(
    steward, entity, published, django_capture_on_commit_callbacks
):
    old_name = entity.name
    with django_capture_on_commit_callbacks(execute=True):
        updated = update_entity(
            actor=steward,
            entity=entity,
            reason="更名",
            name="城关区新名大药房",
            address=entity.address,
            status=EntityStatus.SUSPENDED,
        )
    assert updated.name == "城关区新名大药房"
    assert Entity.objects.get(pk=entity.pk).search_key == names.search_key("城关区新名大药房")
    event = AuditEvent.objects.get(action="registry.entity_updated")
    assert event.changes == {
        "name": [old_name, "城关区新名大药房"],
        "status": [EntityStatus.ACTIVE, EntityStatus.SUSPENDED],
    }
    assert event.reason == "更名"
    assert published == [
        EntityUpdated(
            entity_id=entity.pk,
            public_id=str(entity.public_id),
            changed_fields=("name", "status"),
            actor_id=steward.pk,
        )
    ]


def test_update_entity_that_changes_nothing_writes_nothing(steward, entity):
    update_entity(actor=steward, entity=entity, name=entity.name)
    assert not registry_audit()


def test_update_entity_rejects_credit_code_of_another_entity(steward, entity, drug_regulator):
    other = EntityFactory(registered_by=drug_regulator)
    with pytest.raises(ValidationError) as exc:
        update_entity(
            actor=steward,
            entity=other,
            unified_social_credit_code=entity.unified_social_credit_code,
        )
    assert errors_of(exc) == {"unified_social_credit_code": ["duplicate_uscc"]}
    assert entity.name in messages_of(exc, "unified_social_credit_code")[0]
    other.refresh_from_db()
    assert other.unified_social_credit_code != entity.unified_social_credit_code
    assert not registry_audit()


def test_update_entity_keeps_its_own_credit_code(steward, entity):
    update_entity(
        actor=steward, entity=entity, unified_social_credit_code=entity.unified_social_credit_code
    )
    assert not registry_audit()


def test_update_entity_out_of_scope_does_not_exist(user_in_department, entity):
    far_steward = user_in_department(role=Role.DATA_STEWARD, region="540202")
    with pytest.raises(Entity.DoesNotExist):
        update_entity(actor=far_steward, entity=entity, name="改名")
    entity.refresh_from_db()
    assert entity.name != "改名"


def test_update_entity_without_permission_is_denied(user_in_department, entity, drug_regulator):
    leader = user_in_department(role=Role.LEADER, department=drug_regulator)
    with pytest.raises(PermissionDenied):
        update_entity(actor=leader, entity=entity, name="改名")
    assert not registry_audit()


def test_update_entity_cannot_move_out_of_jurisdiction(steward, entity):
    with pytest.raises(ValidationError) as exc:
        update_entity(actor=steward, entity=entity, region_code="540202")
    assert errors_of(exc) == {"region_code": ["outside_jurisdiction"]}
    entity.refresh_from_db()
    assert entity.region_id == "540102"


def test_update_entity_refuses_a_headquarters_cycle(steward, entity, drug_regulator):
    branch = EntityFactory(registered_by=drug_regulator, parent=entity)
    with pytest.raises(ValidationError) as exc:
        update_entity(actor=steward, entity=entity, parent=branch)
    assert errors_of(exc) == {"parent": ["parent_cycle"]}


def test_update_entity_refuses_unknown_fields(steward, entity):
    with pytest.raises(TypeError):
        update_entity(actor=steward, entity=entity, registered_by=None)


# --- licences ---------------------------------------------------------------------------


def new_licence(actor, entity, **overrides):
    values = {
        "actor": actor,
        "entity": entity,
        "kind": LicenceKind.DRUG_DISTRIBUTION,
        "number": "藏da891000777",
        "valid_from": dt.date(2024, 3, 1),
        "valid_until": dt.date(2029, 2, 28),
        "scope_of_business": "中成药\n化学药制剂",
    }
    values.update(overrides)
    return add_licence(**values)


def test_add_licence_records_history_and_audit(steward, entity, drug_regulator):
    licence = new_licence(steward, entity)
    licence.refresh_from_db()
    assert licence.number == "藏DA891000777"
    assert licence.issued_by == drug_regulator
    assert licence.status == LicenceStatus.VALID
    history = list(licence.status_changes.values_list("from_status", "to_status", "changed_by"))
    assert history == [("", LicenceStatus.VALID, steward.pk)]
    event = AuditEvent.objects.get(action="registry.licence_added")
    assert event.object_id == str(licence.public_id)
    assert event.changes["number"] == [None, "藏DA891000777"]
    assert event.department == drug_regulator


def test_licence_past_its_end_is_recorded_as_expired(steward, entity):
    licence = new_licence(steward, entity, valid_from="2015-01-01", valid_until="2020-01-01")
    assert licence.status == LicenceStatus.EXPIRED


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"number": "ABC"}, "number", "invalid_licence_number"),
        ({"number": "藏EA891000777"}, "number", "invalid_licence_number"),
        ({"kind": "fishing"}, "kind", "invalid_choice"),
        ({"valid_from": None}, "valid_from", "required"),
        ({"valid_from": "2024-13-01"}, "valid_from", "invalid_date"),
        ({"valid_until": dt.date(2020, 1, 1)}, "valid_until", "valid_until_before_valid_from"),
        ({"scope_of_business": "中成药\x00"}, "scope_of_business", "control_characters"),
    ],
)
def test_add_licence_rejects_bad_input_and_writes_nothing(steward, entity, overrides, field, code):
    with pytest.raises(ValidationError) as exc:
        new_licence(steward, entity, **overrides)
    assert errors_of(exc) == {field: [code]}
    assert Licence.objects.count() == 0
    assert LicenceStatusChange.objects.count() == 0
    assert not registry_audit()


def test_duplicate_licence_number_names_the_holder(steward, entity, licence, drug_regulator):
    other = EntityFactory(registered_by=drug_regulator)
    with pytest.raises(ValidationError) as exc:
        new_licence(steward, other, number=licence.number)
    assert errors_of(exc) == {"number": ["duplicate_licence"]}
    assert messages_of(exc, "number") == [
        f"Licence number {licence.number} of this kind is already registered to “{entity.name}”."
    ]
    assert Licence.objects.count() == 1


def test_add_licence_without_permission_is_denied(user_in_department, entity, drug_regulator):
    inspector = user_in_department(role=Role.INSPECTOR, department=drug_regulator)
    with pytest.raises(PermissionDenied):
        new_licence(inspector, entity)
    assert Licence.objects.count() == 0


def test_add_licence_to_entity_out_of_scope_does_not_exist(user_in_department, entity):
    far_steward = user_in_department(role=Role.DATA_STEWARD, region="540202")
    with pytest.raises(Entity.DoesNotExist):
        new_licence(far_steward, entity)
    assert Licence.objects.count() == 0


def test_transition_licence_writes_history_audit_and_event(
    steward, licence, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changed = transition_licence(
            actor=steward, licence=licence, to_status=LicenceStatus.SUSPENDED, reason="飞行检查"
        )
    assert changed.status == LicenceStatus.SUSPENDED
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.SUSPENDED
    row = LicenceStatusChange.objects.get(licence=licence)
    assert (row.from_status, row.to_status, row.reason, row.changed_by) == (
        LicenceStatus.VALID,
        LicenceStatus.SUSPENDED,
        "飞行检查",
        steward,
    )
    event = AuditEvent.objects.get(action="registry.licence_status_changed")
    assert event.changes == {"status": ["valid", "suspended"]}
    assert event.reason == "飞行检查"
    assert published == [
        LicenceStatusChanged(
            licence_id=licence.pk,
            public_id=str(licence.public_id),
            entity_id=licence.entity_id,
            kind=licence.kind,
            number=licence.number,
            from_status="valid",
            to_status="suspended",
            reason="飞行检查",
            actor_id=steward.pk,
        )
    ]


@pytest.mark.parametrize(
    ("start", "to_status", "reason", "errors"),
    [
        (LicenceStatus.REVOKED, LicenceStatus.VALID, "恢复", {"to_status": ["invalid_transition"]}),
        (LicenceStatus.VALID, LicenceStatus.VALID, "重复", {"to_status": ["invalid_transition"]}),
        (LicenceStatus.VALID, "lost", "丢失", {"to_status": ["invalid_choice"]}),
        (LicenceStatus.VALID, LicenceStatus.REVOKED, "  ", {"reason": ["required"]}),
    ],
)
def test_transition_licence_rejects_bad_input(steward, licence, start, to_status, reason, errors):
    Licence.objects.filter(pk=licence.pk).update(status=start)
    with pytest.raises(ValidationError) as exc:
        transition_licence(actor=steward, licence=licence, to_status=to_status, reason=reason)
    assert errors_of(exc) == errors
    assert Licence.objects.get(pk=licence.pk).status == start
    assert LicenceStatusChange.objects.count() == 0
    assert not registry_audit()


def test_invalid_transition_message_names_both_statuses(steward, licence):
    Licence.objects.filter(pk=licence.pk).update(status=LicenceStatus.REVOKED)
    with pytest.raises(ValidationError) as exc:
        transition_licence(
            actor=steward, licence=licence, to_status=LicenceStatus.VALID, reason="恢复"
        )
    assert messages_of(exc, "to_status") == ["A licence cannot go from “Revoked” to “Valid”."]


def test_only_the_issuing_department_may_transition(user_in_department, licence, health_commission):
    other_steward = user_in_department(role=Role.DATA_STEWARD, department=health_commission)
    with pytest.raises(PermissionDenied):
        transition_licence(
            actor=other_steward, licence=licence, to_status=LicenceStatus.REVOKED, reason="x"
        )
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.VALID
    assert not registry_audit()


def test_transition_out_of_scope_does_not_exist(user_in_department, licence):
    far_steward = user_in_department(role=Role.DATA_STEWARD, region="540202")
    with pytest.raises(Licence.DoesNotExist):
        transition_licence(
            actor=far_steward, licence=licence, to_status=LicenceStatus.REVOKED, reason="x"
        )


# --- products ---------------------------------------------------------------------------


def test_create_drug_parses_its_approval_number(steward, entity):
    product = create_product(
        actor=steward,
        kind=ProductKind.DRUG,
        name="二十五味松石丸",
        approval_number=" 国药准字z54020113 ",
        ethnic_medicine=EthnicMedicine.TIBETAN,
        holder=entity,
    )
    product.refresh_from_db()
    assert product.approval_number == "国药准字Z54020113"
    assert (product.approval_scheme, product.category) == ("legacy_2002", "Z")
    assert product.is_tibetan_medicine
    event = AuditEvent.objects.get(action="registry.product_created")
    assert event.changes["holder"] == [None, str(entity.public_id)]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"approval_number": "国药准字X123"}, "approval_number", "invalid_approval_number"),
        ({"approval_number": ""}, "approval_number", "required"),
        ({"kind": "food"}, "kind", "invalid_choice"),
        ({"risk_class": "spicy"}, "risk_class", "invalid_choice"),
        ({"name": "丸" * 201}, "name", "max_length"),
    ],
)
def test_create_product_rejects_bad_input(steward, overrides, field, code):
    values = {
        "actor": steward,
        "kind": ProductKind.DRUG,
        "name": "药",
        "approval_number": "国药准字H20203456",
    }
    values.update(overrides)
    with pytest.raises(ValidationError) as exc:
        create_product(**values)
    assert errors_of(exc) == {field: [code]}
    assert Product.objects.count() == 0
    assert not registry_audit()


def test_duplicate_approval_number_names_the_product(steward):
    existing = Product.objects.get(
        pk=ProductFactory(approval_number="国药准字Z54020113", name="仁青芒觉").pk
    )
    with pytest.raises(ValidationError) as exc:
        create_product(
            actor=steward, kind=ProductKind.DRUG, name="别名", approval_number="国药准字Z54020113"
        )
    assert errors_of(exc) == {"approval_number": ["duplicate_approval_number"]}
    assert messages_of(exc, "approval_number") == [
        f"The approval number 国药准字Z54020113 is already registered to “{existing.name}”."
    ]


def test_create_product_without_permission_is_denied(user_in_department):
    with pytest.raises(PermissionDenied):
        create_product(
            actor=user_in_department(role=Role.INSPECTOR),
            kind=ProductKind.DEVICE,
            name="血压计",
            approval_number="藏械备20240001",
        )
    assert Product.objects.count() == 0


def test_update_product_audits_changes(steward):
    product = ProductFactory(risk_class=RiskClass.ORDINARY)
    update_product(actor=steward, product=product, risk_class=RiskClass.COLD_CHAIN, reason="冷链")
    event = AuditEvent.objects.get(action="registry.product_updated")
    assert event.changes == {"risk_class": ["ordinary", "cold_chain"]}
    assert Product.objects.get(pk=product.pk).risk_class == RiskClass.COLD_CHAIN


def test_link_product_once_per_relation(steward, entity):
    product = ProductFactory()
    link = link_product(
        actor=steward, entity=entity, product=product, relation=ProductRelation.SELLS
    )
    assert link.relation == ProductRelation.SELLS
    assert AuditEvent.objects.get(action="registry.entity_product_linked").object_id == str(
        entity.public_id
    )
    with pytest.raises(ValidationError) as exc:
        link_product(actor=steward, entity=entity, product=product, relation=ProductRelation.SELLS)
    assert errors_of(exc) == {"product": ["duplicate_link"]}
    assert EntityProduct.objects.count() == 1


# --- persons and personal data ----------------------------------------------------------


def test_create_person_keeps_personal_data_out_of_the_audit_trail(steward, drug_regulator):
    id_number = make_id_card_number("540102", dt.date(1990, 5, 17), 123)
    person = create_person(
        actor=steward,
        name="德吉",
        region_code="540102",
        id_number=id_number.lower(),
        phone="13908901234",
    )
    person.refresh_from_db()
    assert person.id_number == id_number
    assert person.department == drug_regulator
    event = AuditEvent.objects.get(action="registry.person_created")
    assert event.changes["id_number"] == [None, f"{id_number[:6]}********{id_number[-4:]}"]
    assert event.changes["phone"] == [None, "139****1234"]
    assert id_number not in str(event.changes)


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"id_number": WRONG_CHECK_ID_NUMBER}, "id_number", "invalid_id_number"),
        ({"phone": "call me"}, "phone", "invalid_phone"),
        ({"region_code": "540202"}, "region_code", "outside_jurisdiction"),
        ({"name": ""}, "name", "blank"),
    ],
)
def test_create_person_rejects_bad_input(steward, overrides, field, code):
    values = {"actor": steward, "name": "德吉", "region_code": "540102"}
    values.update(overrides)
    with pytest.raises(ValidationError) as exc:
        create_person(**values)
    assert errors_of(exc) == {field: [code]}
    assert Person.objects.count() == 0
    assert not registry_audit()


def test_duplicate_identity_number_does_not_name_the_person(steward, person):
    with pytest.raises(ValidationError) as exc:
        create_person(actor=steward, name="别人", region_code="540102", id_number=person.id_number)
    assert errors_of(exc) == {"id_number": ["duplicate_id_number"]}
    assert person.name not in messages_of(exc, "id_number")[0]


def test_link_and_end_person_role(steward, entity, person):
    link = link_person(
        actor=steward,
        entity=entity,
        person=person,
        role=PersonRole.LICENSED_PHARMACIST,
        started_on="2024-01-01",
    )
    with pytest.raises(ValidationError) as exc:
        link_person(
            actor=steward, entity=entity, person=person, role=PersonRole.LICENSED_PHARMACIST
        )
    assert errors_of(exc) == {"person": ["duplicate_link"]}
    with pytest.raises(ValidationError) as exc:
        end_person_link(actor=steward, link=link, ended_on="2023-12-31")
    assert errors_of(exc) == {"ended_on": ["ended_before_started"]}
    ended = end_person_link(actor=steward, link=link, ended_on="2025-06-30", reason="离职")
    assert ended.ended_on == dt.date(2025, 6, 30)
    with pytest.raises(ValidationError) as exc:
        end_person_link(actor=steward, link=link)
    assert errors_of(exc) == {"ended_on": ["already_ended"]}
    actions = list(
        AuditEvent.objects.filter(action__startswith="registry.").values_list("action", "object_id")
    )
    assert actions == [
        ("registry.entity_person_linked", str(entity.public_id)),
        ("registry.entity_person_link_ended", str(entity.public_id)),
    ]


def test_end_person_link_defaults_to_today(steward, entity, person):
    link = EntityPersonFactory(entity=entity, person=person, started_on=None)
    assert end_person_link(actor=steward, link=link).ended_on == timezone.localdate()


def test_reveal_in_the_owning_department_is_audited(user_in_department, person, drug_regulator):
    inspector = user_in_department(role=Role.INSPECTOR, department=drug_regulator)
    data = reveal_personal_data(actor=inspector, person=person)
    assert data == {"id_number": person.id_number, "phone": person.phone}
    event = AuditEvent.objects.get(action="registry.personal_data_read")
    assert (event.actor, event.department, event.object_id) == (
        inspector,
        drug_regulator,
        str(person.public_id),
    )
    assert event.changes == {"fields": ["id_number", "phone"], "owner": drug_regulator.code}


def test_reveal_across_departments_needs_a_share_grant(
    user_in_department, person, drug_regulator, health_commission
):
    doctor_inspector = user_in_department(role=Role.INSPECTOR, department=health_commission)
    with pytest.raises(PermissionDenied):
        reveal_personal_data(actor=doctor_inspector, person=person)
    assert not registry_audit()
    ShareGrantFactory(grantor=drug_regulator, grantee=health_commission)
    fresh = UserFactory._meta.model.objects.get(pk=doctor_inspector.pk)  # scope recomputed
    assert reveal_personal_data(actor=fresh, person=person)["id_number"] == person.id_number
    event = AuditEvent.objects.get(action="registry.personal_data_read")
    assert event.department == health_commission


def test_reveal_needs_the_personal_data_permission(user_in_department, person, drug_regulator):
    leader = user_in_department(role=Role.LEADER, department=drug_regulator)
    with pytest.raises(PermissionDenied):
        reveal_personal_data(actor=leader, person=person)
    assert not registry_audit()


def test_reveal_outside_jurisdiction_does_not_exist(user_in_department, person):
    far = user_in_department(role=Role.INSPECTOR, region="540202")
    with pytest.raises(Person.DoesNotExist):
        reveal_personal_data(actor=far, person=person)
    assert not registry_audit()


def test_share_grant_of_another_grantor_does_not_open_the_data(
    user_in_department, person, health_commission
):
    ShareGrantFactory(grantor=DepartmentFactory(), grantee=health_commission)
    doctor_inspector = user_in_department(role=Role.INSPECTOR, department=health_commission)
    with pytest.raises(PermissionDenied):
        reveal_personal_data(actor=doctor_inspector, person=person)


def test_factories_make_linked_rows():
    link = EntityProductFactory()
    assert EntityProduct.objects.get(pk=link.pk).entity.products.get() == link.product
    pharmacist = EntityPersonFactory()
    assert EntityPerson.objects.get(pk=pharmacist.pk).person.entities.get() == pharmacist.entity
    assert LicenceFactory().entity.licences.count() == 1

"""registry.services.bulk.apply_entity_rows: the registry's own bulk writer (used by exchange)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.registry.events import EntityCreated, EntityUpdated, LicenceAdded, LicenceStatusChanged
from yaojian.registry.identifiers import make_drug_distribution_licence_number
from yaojian.registry.models import Entity, Licence, LicenceStatusChange
from yaojian.registry.services.bulk import EntityRow, LicenceValues, apply_entity_rows
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory, uscc_for

pytestmark = pytest.mark.django_db


def number(n: int) -> str:
    return make_drug_distribution_licence_number("54", "DA", "8910", 5000 + n)


def row(n: int, **overrides: Any) -> EntityRow:
    values: dict[str, Any] = {
        "ref": n,
        "name": f"城关康源大药房{n}号店",
        "kind": "single_pharmacy",
        "region_code": "540102",
        "unified_social_credit_code": uscc_for(500 + n),
        "address": f"城关区金珠西路{n}号",
        "legal_representative": "次仁",
        "licence": LicenceValues(
            kind="drug_distribution",
            number=number(n),
            status="valid",
            valid_from=dt.date(2025, 1, 1),
            valid_until=dt.date(2030, 1, 1),
        ),
    }
    values.update(overrides)
    return EntityRow(**values)


@pytest.fixture
def apply(django_capture_on_commit_callbacks: Any) -> Any:
    """Apply rows as ``actor`` for their department, delivering the events as on commit."""

    def run(actor: Any, rows: list[EntityRow], **kwargs: Any) -> Any:
        kwargs.setdefault("department", actor.memberships.get().department)
        kwargs.setdefault("authoritative", True)
        with django_capture_on_commit_callbacks(execute=True):
            return apply_entity_rows(rows, actor=actor, reason="Import batch X", **kwargs)

    return run


def test_creates_entities_licences_history_audit_and_events(
    apply: Any, steward: Any, published: Any
) -> None:
    result = apply(steward, [row(1), row(2)])
    assert [r.refusal for r in result.rows] == [None, None]
    entities = list(Entity.objects.order_by("name"))
    assert [e.name for e in entities] == ["城关康源大药房1号店", "城关康源大药房2号店"]
    assert entities[0].search_key == "城0关0康0源0大0药0房010号0店0"
    assert result.created_ids == frozenset(e.pk for e in entities)
    assert {r.entity.pk for r in result.rows} == result.created_ids
    licences = Licence.objects.order_by("number")
    assert [(lic.number, lic.entity.name, lic.status) for lic in licences] == [
        (number(1), "城关康源大药房1号店", "valid"),
        (number(2), "城关康源大药房2号店", "valid"),
    ]
    assert LicenceStatusChange.objects.filter(from_status="", to_status="valid").count() == 2
    (event,) = AuditEvent.objects.filter(action="registry.entity_rows_applied")
    assert sorted(event.changes["entities"]) == sorted(str(e.public_id) for e in entities)
    assert event.changes["entities"][str(entities[0].public_id)]["name"] == [
        None,
        "城关康源大药房1号店",
    ]
    assert sorted(event.changes["licences"]) == [
        f"drug_distribution:{number(1)}",
        f"drug_distribution:{number(2)}",
    ]
    assert sorted(type(e).__name__ for e in published) == [
        "EntityCreated",
        "EntityCreated",
        "LicenceAdded",
        "LicenceAdded",
    ]


def test_update_changes_fields_and_licence_status(
    apply: Any, steward: Any, drug_regulator: Any, published: Any
) -> None:
    entity = EntityFactory(registered_by=drug_regulator, legal_representative="扎西")
    licence: Any = LicenceFactory(entity=entity, issued_by=drug_regulator, number=number(7))
    rows = [
        row(
            7,
            name=entity.name,
            unified_social_credit_code=entity.unified_social_credit_code,
            address=entity.address,
            entity=entity,
            licence=LicenceValues(
                kind="drug_distribution",
                number=number(7),
                status="suspended",
                valid_from=licence.valid_from,
                valid_until=licence.valid_until,
            ),
        )
    ]
    result = apply(steward, rows)
    assert result.rows[0].refusal is None
    assert result.updated_ids == frozenset({entity.pk})
    entity.refresh_from_db()
    licence.refresh_from_db()
    assert (entity.legal_representative, licence.status) == ("次仁", "suspended")
    (change,) = LicenceStatusChange.objects.filter(licence=licence)
    assert (change.from_status, change.to_status, change.reason) == (
        "valid",
        "suspended",
        "Import batch X",
    )
    (event,) = AuditEvent.objects.filter(action="registry.entity_rows_applied")
    assert event.changes["entities"] == {
        str(entity.public_id): {"legal_representative": ["扎西", "次仁"]}
    }
    assert event.changes["licences"] == {
        f"drug_distribution:{number(7)}": {"status": ["valid", "suspended"]}
    }
    kinds = [type(e) for e in published]
    assert kinds == [EntityUpdated, LicenceStatusChanged]
    assert published[0].changed_fields == ("legal_representative",)


def test_linked_row_fills_empty_fields_only(apply: Any, steward: Any, drug_regulator: Any) -> None:
    entity = EntityFactory(registered_by=drug_regulator, name="城关老店", address="")
    result = apply(
        steward,
        [row(3, entity=entity, linked=True, unified_social_credit_code="", licence=None)],
    )
    assert result.rows[0].refusal is None
    entity.refresh_from_db()
    assert (entity.name, entity.address) == ("城关老店", "城关区金珠西路3号")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"kind": "castle"}, "invalid_choice"),
        ({"name": "（）"}, "invalid_name"),
        ({"region_code": "540103"}, "outside_jurisdiction"),
        ({"region_code": "549999"}, "unknown_region"),
        ({"unified_social_credit_code": "91540102MA6T1X2Y3Z"}, "invalid_uscc"),
    ],
)
def test_refused_row_writes_nothing_and_others_go_on(
    apply: Any, steward: Any, published: Any, overrides: dict[str, Any], code: str
) -> None:
    result = apply(steward, [row(1, **overrides), row(2)])
    assert result.rows[0].refusal is not None
    assert result.rows[0].refusal["code"] == code
    assert result.rows[1].refusal is None
    assert list(Entity.objects.values_list("name", flat=True)) == ["城关康源大药房2号店"]
    assert list(Licence.objects.values_list("number", flat=True)) == [number(2)]
    assert [type(e) for e in published] == [EntityCreated, LicenceAdded]


def test_licence_rules_are_the_registry_s(
    apply: Any, steward: Any, drug_regulator: Any, user_in_department: Any
) -> None:
    other_department = user_in_department(role=Role.DATA_STEWARD, region="540102")
    other = other_department.memberships.get().department
    mine = EntityFactory(registered_by=drug_regulator)
    theirs = LicenceFactory(entity=mine, issued_by=other, number=number(8))
    revoked = LicenceFactory(entity=mine, issued_by=drug_regulator, number=number(9))
    Licence.objects.filter(pk=revoked.pk).update(status="revoked")
    someone = EntityFactory(registered_by=drug_regulator)
    outside = EntityFactory(region_id="540103", registered_by=drug_regulator)

    def licence(n: int, status: str = "valid") -> LicenceValues:
        return LicenceValues("drug_distribution", number(n), status, dt.date(2024, 1, 1))

    rows = [
        row(1, entity=mine, licence=licence(8, "suspended")),
        row(2, entity=mine, licence=licence(9, "valid")),
        row(3, entity=someone, licence=licence(9, "revoked")),
        row(4, entity=outside, licence=None),
        row(5, unified_social_credit_code=mine.unified_social_credit_code, licence=None),
    ]
    result = apply(steward, rows)
    assert [r.refusal["code"] for r in result.rows if r.refusal] == [
        "issued_by_another_department",
        "invalid_transition",
        "licence_of_another_entity",
        "outside_jurisdiction",
        "duplicate_uscc",
    ]
    assert Licence.objects.get(pk=theirs.pk).status == "valid"
    assert Licence.objects.get(pk=revoked.pk).status == "revoked"
    assert not AuditEvent.objects.filter(action="registry.entity_rows_applied").exists()
    assert Entity.objects.count() == 3


def test_without_the_registry_permission_is_denied(
    apply: Any, user_in_department: Any, drug_regulator: Any, published: Any
) -> None:
    viewer = user_in_department(role=Role.AUDITOR, department=drug_regulator)
    with pytest.raises(PermissionDenied):
        apply(viewer, [row(1)], department=drug_regulator)
    assert Entity.objects.count() == 0
    assert AuditEvent.objects.filter(action="registry.entity_rows_applied").count() == 0
    assert published == []


def test_for_a_department_the_actor_does_not_act_for_is_denied(
    apply: Any, steward: Any, health_commission: Any
) -> None:
    with pytest.raises(PermissionDenied):
        apply(steward, [row(1)], department=health_commission)
    assert Entity.objects.count() == 0


def test_failure_after_the_writes_leaves_nothing(
    apply: Any, steward: Any, published: Any, monkeypatch: Any
) -> None:
    from yaojian.registry.services import bulk

    def broken(self: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk._BulkApplier, "_audit", broken)
    with pytest.raises(RuntimeError):
        apply(steward, [row(1), row(2)])
    assert Entity.objects.count() == 0
    assert Licence.objects.count() == 0
    assert LicenceStatusChange.objects.count() == 0
    assert published == []


def test_query_count_does_not_grow_with_rows(
    apply: Any, steward: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(40):
        apply(steward, [row(n) for n in range(1, 201)])
    assert Entity.objects.count() == 200


@pytest.mark.parametrize(
    "code",
    [
        uscc_for(1),
        uscc_for(2, "542521"),
        "91540102MA6T1X2Y3Z",  # bad check character
        uscc_for(3).lower(),  # not canonical: goes through the validator
        uscc_for(4)[:17],
        "91AB0102MA0000001X",
    ],
)
def test_fast_credit_code_check_accepts_only_what_the_validator_accepts(code: str) -> None:
    from django.core.exceptions import ValidationError

    from yaojian.registry.identifiers import validate_unified_social_credit_code
    from yaojian.registry.services.bulk import _canonical_code_valid

    if _canonical_code_valid(code):
        assert validate_unified_social_credit_code(code) == code
    else:
        try:
            normalised = validate_unified_social_credit_code(code)
        except ValidationError:
            return
        assert normalised != code  # valid only after normalisation


# --- the persons table follows a changed legal representative (issue 9 item 3) ---------------


def test_a_changed_legal_representative_moves_the_persons_table(
    apply: Any, steward: Any, drug_regulator: Any
) -> None:
    from yaojian.registry.choices import PersonRole
    from yaojian.registry.models import EntityPerson
    from yaojian.registry.tests.factories import EntityPersonFactory, PersonFactory

    entity: Any = EntityFactory(registered_by=drug_regulator, legal_representative="扎西")
    old = EntityPersonFactory(
        entity=entity,
        person=PersonFactory(name="扎西", department=drug_regulator),
        role=PersonRole.LEGAL_REPRESENTATIVE,
    )
    pharmacist = EntityPersonFactory(entity=entity, person=PersonFactory(name="次仁"))
    unchanged: Any = EntityFactory(registered_by=drug_regulator, legal_representative="次仁")
    rows = [
        row(
            1,
            name=entity.name,
            unified_social_credit_code=entity.unified_social_credit_code,
            entity=entity,
            licence=None,
        ),
        row(
            2,
            name=unchanged.name,
            unified_social_credit_code=unchanged.unified_social_credit_code,
            entity=unchanged,
            licence=None,
        ),
    ]

    apply(steward, rows)

    old.refresh_from_db()
    assert old.ended_on is not None
    (current,) = EntityPerson.objects.filter(
        entity=entity, role=PersonRole.LEGAL_REPRESENTATIVE, ended_on__isnull=True
    )
    # The pharmacist of the same name is the same person: reused, not registered again.
    assert current.person_id == pharmacist.person_id
    assert not EntityPerson.objects.filter(entity=unchanged).exists()
    history = AuditEvent.objects.filter(
        object_type="registry.entity", object_id=str(entity.public_id)
    ).order_by("id")
    assert [(e.action, e.changes["person_name"]) for e in history] == [
        ("registry.entity_person_link_ended", ["扎西", "扎西"]),
        ("registry.entity_person_linked", [None, "次仁"]),
    ]


def test_a_new_legal_representative_is_registered_once_and_a_rerun_changes_nothing(
    apply: Any, steward: Any, drug_regulator: Any
) -> None:
    from yaojian.registry.models import EntityPerson, Person

    entity: Any = EntityFactory(registered_by=drug_regulator, legal_representative="扎西")
    kwargs = {
        "name": entity.name,
        "unified_social_credit_code": entity.unified_social_credit_code,
        "entity": entity,
        "licence": None,
        "legal_representative": "格桑",
    }

    apply(steward, [row(1, **kwargs)])
    apply(steward, [row(1, **kwargs)])

    (person,) = Person.objects.all()
    assert (person.name, person.region_id, person.department) == (
        "格桑",
        entity.region_id,
        drug_regulator,
    )
    assert EntityPerson.objects.get(entity=entity).ended_on is None
    assert AuditEvent.objects.filter(action="registry.entity_person_linked").count() == 1


def test_changing_the_legal_representative_by_hand_moves_the_persons_table_too(
    steward: Any, drug_regulator: Any
) -> None:
    from yaojian.registry.choices import PersonRole
    from yaojian.registry.models import EntityPerson
    from yaojian.registry.services.entities import update_entity
    from yaojian.registry.tests.factories import EntityPersonFactory, PersonFactory

    entity: Any = EntityFactory(registered_by=drug_regulator, legal_representative="扎西")
    old = EntityPersonFactory(
        entity=entity,
        person=PersonFactory(name="扎西", department=drug_regulator),
        role=PersonRole.LEGAL_REPRESENTATIVE,
    )

    update_entity(actor=steward, entity=entity, legal_representative="央金", reason="变更登记")

    old.refresh_from_db()
    assert old.ended_on is not None
    (current,) = EntityPerson.objects.filter(
        entity=entity, role=PersonRole.LEGAL_REPRESENTATIVE, ended_on__isnull=True
    )
    assert current.person.name == "央金"
    actions = list(
        AuditEvent.objects.filter(
            object_type="registry.entity", object_id=str(entity.public_id)
        ).values_list("action", flat=True)
    )
    assert actions == [
        "registry.entity_updated",
        "registry.entity_person_link_ended",
        "registry.entity_person_linked",
    ]

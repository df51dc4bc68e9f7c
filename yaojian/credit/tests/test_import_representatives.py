"""处处受限 for a legal representative named through an exchange file: a file carries the
representative's name only, so a row that names a restricted person (a practice ban, a
person's serious-dishonesty record, or legal representative of a listed entity) as legal
representative of a new entity, or as the new legal representative of a stored one, is refused
with the reasons (kept, audited), like a form's appointment; a head's override recorded
beforehand for that person lets it through. The check is set-based (one statement per 400
names)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from yaojian.audit.models import AuditEvent
from yaojian.credit import restrictions, services
from yaojian.credit.tests.factories import ban_from_practice, import_licences, publish_listing
from yaojian.exchange.models import RejectedRow
from yaojian.exchange.tests.factories import licence_row
from yaojian.registry.choices import PersonRole
from yaojian.registry.decisions import DecisionSubject
from yaojian.registry.models import Entity, EntityPerson
from yaojian.registry.tests.factories import EntityFactory, EntityPersonFactory, PersonFactory

pytestmark = pytest.mark.django_db


_import = import_licences


_ban = ban_from_practice


def test_a_banned_person_named_through_a_file_is_refused(world: Any) -> None:
    """张三 is banned (recorded at another county's person): a new pharmacy naming him and a
    stored pharmacy renamed to him are refused; a row naming someone else is accepted."""
    banned = PersonFactory(region_id="540103", department=world.other_department, name="李四")
    _ban(world, banned)
    stored: Any = EntityFactory(
        region_id="540102", registered_by=world.department, legal_representative="扎西"
    )
    batch = _import(
        world.steward,
        [
            licence_row(1, legal="李四"),  # a new entity
            licence_row(2, name=stored.name, uscc=stored.unified_social_credit_code, legal="李四"),
            licence_row(3, legal="卓玛"),
        ],
    )
    assert (batch.accepted_count, batch.rejected_count) == (1, 2)
    kept = {r.line_number: r.reasons for r in RejectedRow.objects.filter(batch=batch)}
    assert sorted(kept) == [2, 3]
    for reasons in kept.values():
        [reason] = reasons
        assert (reason["field"], reason["code"]) == ("legal_representative", "restricted")
        assert "李四" in reason["message"]
        assert "《药品管理法》第一百一十八条" in reason["message"]
    assert not Entity.objects.filter(name=licence_row(1)[0]).exists()
    stored.refresh_from_db()
    assert stored.legal_representative == "扎西"
    assert not EntityPerson.objects.filter(entity=stored, person__name="李四").exists()
    assert Entity.objects.filter(name=licence_row(3)[0], legal_representative="卓玛").exists()
    event = AuditEvent.objects.get(action="registry.restricted_rows_refused")
    assert sorted(row["ref"] for row in event.changes["rows"]) == ["2", "3"]
    assert {row["action"] for row in event.changes["rows"]} == {"person.appoint"}


def test_the_legal_representative_of_a_listed_entity_is_refused(world: Any) -> None:
    publish_listing(world)
    batch = _import(world.other_steward, [licence_row(1, region="540103", legal="张三")])
    assert batch.rejected_count == 1
    [reason] = RejectedRow.objects.get(batch=batch).reasons
    assert reason["code"] == "restricted"
    assert world.entity.name in reason["message"]


def test_an_unchanged_representative_is_not_checked_again(world: Any) -> None:
    """The stored entity already names 张三 (banned since): a renewal row that keeps him decides
    no appointment."""
    _ban(world, world.person)
    world.entity.legal_representative = "张三"
    world.entity.save()
    batch = _import(
        world.steward,
        [
            licence_row(
                1,
                name=world.entity.name,
                uscc=world.entity.unified_social_credit_code,
                legal="张三",
            )
        ],
    )
    assert (batch.accepted_count, batch.rejected_count) == (1, 0)


def test_a_heads_override_for_the_person_lets_the_row_through(world: Any) -> None:
    _ban(world, world.person)
    services.record_override(
        actor=world.head,
        action="person.appoint",
        id_number=world.person.id_number,
        reason="经核实为同名不同人。",
    )
    batch = _import(world.steward, [licence_row(1, legal="张三")])
    assert (batch.accepted_count, batch.rejected_count) == (1, 0)
    assert AuditEvent.objects.filter(action="registry.restriction_overridden").count() == 1
    second = _import(world.steward, [licence_row(2, legal="张三")])
    assert second.rejected_count == 1  # used once


def test_the_check_of_many_names_is_set_based(world: Any, django_assert_num_queries: Any) -> None:
    banned = [
        PersonFactory(region_id="540102", department=world.department, name=f"禁{n}")
        for n in range(3)
    ]
    for person in banned:
        _ban(world, person)
    other = PersonFactory(region_id="540102", department=world.department, name="多吉")
    EntityPersonFactory(
        entity=world.other_entity, person=other, role=PersonRole.LICENSED_PHARMACIST
    )
    decisions = [
        (DecisionSubject(entity_id=world.entity.pk, name=name), "person.appoint")
        for name in [*(p.name for p in banned), *(f"名{n}" for n in range(40)), "多吉"]
    ]
    with translation.override("en"), django_assert_num_queries(2):  # rule sets + names
        answers = restrictions.check_many(decisions)
    assert [i for i, found in enumerate(answers) if found] == [0, 1, 2]
    assert "of a person of the same name" in answers[0][0].measure

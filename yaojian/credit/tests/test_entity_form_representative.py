"""处处受限 for the legal representative typed on the entity form (page and API): naming a
restricted person (a practice ban recorded at another county's person, or the legal
representative of a listed entity) as legal representative of a new entity, or as the new one
of a stored entity, is ``person.appoint`` checked by name like an import's row (the form carries
the name only); it is refused beside the field with the restrictions, nothing written; a head's
override recorded beforehand for the person is used once (audited); an unchanged name on edit
decides nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import TestCase
from django.urls import reverse

from yaojian.audit.models import AuditEvent
from yaojian.credit import services
from yaojian.credit.models import Override
from yaojian.credit.tests.factories import BAN_BASIS, ban_from_practice, publish_listing
from yaojian.registry.choices import EntityKind, EntityStatus
from yaojian.registry.models import Entity, EntityPerson
from yaojian.registry.tests.factories import EntityFactory, PersonFactory

pytestmark = pytest.mark.django_db

BASIS = BAN_BASIS


_ban = ban_from_practice


def _banned(world: Any) -> Any:
    """李四 of another county, banned from practice."""
    person = PersonFactory(region_id="540103", department=world.other_department, name="李四")
    _ban(world, person)
    return person


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "城关区新开药房",
        "kind": EntityKind.SINGLE_PHARMACY,
        "region_code": "540102",
        "unified_social_credit_code": "",
        "address": "城关区江苏路8号",
        "legal_representative": "李四",
        "grid_cell": "",
        "parent": "",
    }
    data.update(overrides)
    return data


def _edit_form(entity: Any, **overrides: Any) -> dict[str, Any]:
    values = {
        "name": entity.name,
        "kind": entity.kind,
        "region_code": entity.region_id,
        "unified_social_credit_code": entity.unified_social_credit_code or "",
        "address": entity.address,
        "status": EntityStatus.ACTIVE,
        "reason": "法定代表人变更",
    }
    return _form(**{**values, **overrides})


def _refusal(text: str) -> None:
    assert 'data-testid="error-legal_representative"' in text
    assert "李四" in text
    assert BASIS in text


def test_registering_an_entity_with_a_banned_representative_is_refused(
    world: Any, client: Any
) -> None:
    _banned(world)
    client.force_login(world.steward)
    events = AuditEvent.objects.count()
    response = client.post(reverse("registry:entity_create"), _form())
    assert response.status_code == 422
    _refusal(response.content.decode())
    assert not Entity.objects.filter(name="城关区新开药房").exists()
    assert AuditEvent.objects.count() == events
    response = client.post(reverse("registry:entity_create"), _form(legal_representative="卓玛"))
    assert response.status_code == 302
    assert Entity.objects.get(name="城关区新开药房").legal_representative == "卓玛"


def test_renaming_the_representative_to_a_banned_person_is_refused_on_the_page(
    world: Any, client: Any
) -> None:
    _banned(world)
    entity = world.other_entity
    client.force_login(world.other_steward)
    url = reverse("registry:entity_update", args=[entity.public_id])
    events = AuditEvent.objects.count()
    response = client.post(url, _edit_form(entity))
    assert response.status_code == 422
    _refusal(response.content.decode())
    entity.refresh_from_db()
    assert entity.legal_representative != "李四"
    assert not EntityPerson.objects.filter(entity=entity, person__name="李四").exists()
    assert AuditEvent.objects.count() == events


def test_the_legal_representative_of_a_listed_entity_is_refused(world: Any, client: Any) -> None:
    publish_listing(world)
    client.force_login(world.other_steward)
    response = client.post(
        reverse("registry:entity_create"),
        _form(region_code="540103", legal_representative="张三"),
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert 'data-testid="error-legal_representative"' in text
    assert world.entity.name in text


def test_an_unchanged_representative_is_not_checked_again(world: Any, client: Any) -> None:
    """城关某大药房 already names 张三 (banned since): editing its address keeps him."""
    _ban(world, world.person)
    world.entity.legal_representative = "张三"
    world.entity.save()
    client.force_login(world.steward)
    url = reverse("registry:entity_update", args=[world.entity.public_id])
    response = client.post(
        url, _edit_form(world.entity, legal_representative=" 张三 ", address="新地址1号")
    )
    assert response.status_code == 302
    world.entity.refresh_from_db()
    assert world.entity.address == "新地址1号"


def test_a_heads_override_recorded_beforehand_is_used_once(world: Any, client: Any) -> None:
    banned = _banned(world)
    services.record_override(
        actor=world.head,
        action="person.appoint",
        id_number=banned.id_number,
        reason="经核实为同名不同人。",
    )
    client.force_login(world.steward)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("registry:entity_create"), _form())
    assert response.status_code == 302
    entity = Entity.objects.get(name="城关区新开药房")
    assert entity.legal_representative == "李四"
    override = Override.objects.get()
    assert override.used_at is not None
    event = AuditEvent.objects.get(action="registry.restriction_overridden")
    assert event.changes["action"] == "person.appoint"
    assert (event.object_id, event.changes["entity_id"]) == (str(entity.public_id), entity.pk)
    assert AuditEvent.objects.filter(action="registry.entity_created").count() == 1
    # used: the next entity naming him is refused again
    response = client.post(
        reverse("registry:entity_create"), _form(name="城关区另一药房", legal_representative="李四")
    )
    assert response.status_code == 422
    assert not Entity.objects.filter(name="城关区另一药房").exists()


def test_the_api_refuses_a_banned_representative_on_create_and_update(
    world: Any, api_client_for: Any
) -> None:
    _banned(world)
    api = api_client_for(world.steward)
    body = {
        "name": "城关区新开药房",
        "kind": EntityKind.SINGLE_PHARMACY,
        "region": "540102",
        "legal_representative": "李四",
    }
    response = api.post("/api/v1/entities/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["legal_representative"]
    assert "李四" in errors["legal_representative"][0]
    assert BASIS in errors["legal_representative"][0]
    assert not Entity.objects.filter(name="城关区新开药房").exists()

    url = f"/api/v1/entities/{world.entity.public_id}/"
    response = api.patch(url, {"legal_representative": "李四"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["legal_representative"]
    world.entity.refresh_from_db()
    assert world.entity.legal_representative != "李四"
    # the same name as before decides nothing
    world.entity.legal_representative = "张三"
    world.entity.save()
    _ban(world, world.person)
    response = api.patch(
        url, {"legal_representative": "张三", "address": "新地址2号"}, format="json"
    )
    assert response.status_code == 200


def test_a_namesake_check_in_the_service_uses_the_name_only(world: Any) -> None:
    """The service refuses too (any caller), on ``legal_representative``."""
    from django.core.exceptions import ValidationError

    from yaojian.registry.services import update_entity

    _banned(world)
    entity = EntityFactory(region_id="540102", registered_by=world.department)
    with pytest.raises(ValidationError) as caught:
        update_entity(actor=world.steward, entity=entity, legal_representative="李四")
    assert list(caught.value.message_dict) == ["legal_representative"]

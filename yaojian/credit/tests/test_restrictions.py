"""处处受限: records from decisions, the restriction check at each decision point (UI, API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from yaojian.audit.models import AuditEvent
from yaojian.core.events import publish
from yaojian.credit import services
from yaojian.credit.choices import RecordKind, RecordOrigin
from yaojian.credit.models import CreditRecord, Override
from yaojian.enforcement.choices import CaseStage, ClueSource, DecisionState, PenaltyKind
from yaojian.enforcement.events import CaseDecided
from yaojian.enforcement.models import Case, Decision, PenaltyItem
from yaojian.enforcement.services.penalties import publication_for
from yaojian.registry.choices import LicenceKind
from yaojian.registry.identifiers import make_drug_distribution_licence_number
from yaojian.registry.models import EntityPerson, Licence

pytestmark = pytest.mark.django_db


def decide(world: Any, *, ban_years: int | None = None, kinds: tuple[str, ...] = ()) -> CaseDecided:
    case = Case.objects.create(
        number="城市监立〔2026〕9号",
        department=world.department,
        region_id="540102",
        stage=CaseStage.DECIDED,
        source=ClueSource.SAMPLING,
        title="销售假药案",
        facts="当事人销售假药。",
        party_name=world.entity.name,
        entity=world.entity,
        clue_received_on=dt.date(2026, 3, 2),
        filed_on=dt.date(2026, 3, 3),
    )
    decision = Decision.objects.create(
        case=case,
        department=world.department,
        number="城市监处罚〔2026〕9号",
        state=DecisionState.EFFECTIVE,
        violation="销售假药",
        legal_basis="《药品管理法》第一百一十六条",
        decided_on=dt.date(2026, 9, 1),
    )
    PenaltyItem.objects.create(
        decision=decision, kind=PenaltyKind.REVOKE_LICENCE, conduct="counterfeit"
    )
    PenaltyItem.objects.create(
        decision=decision, kind=PenaltyKind.BAN_PERSON, person=world.person, ban_years=ban_years
    )
    for kind in kinds:
        PenaltyItem.objects.create(decision=decision, kind=kind)
    return CaseDecided(
        case_id=case.pk,
        case_public_id=case.public_id,
        number=case.number,
        department_id=world.department.pk,
        region_code="540102",
        entity_id=world.entity.pk,
        decision_id=decision.pk,
        publication=publication_for(case, decision),
    )


def test_case_decided_records_the_penalty_and_the_ban_through_the_outbox(
    world: Any, deliver_outbox: Any
) -> None:
    event = decide(world, ban_years=10, kinds=(PenaltyKind.AGREEMENT_TERMINATION,))
    with transaction.atomic():
        publish(event)
    deliver_outbox()
    rows = sorted(
        CreditRecord.objects.values_list("kind", "entity_id", "person_id", "origin", "conduct")
    )
    assert rows == sorted(
        [
            (RecordKind.HEAVY_PENALTY, world.entity.pk, None, RecordOrigin.EVENT, "counterfeit"),
            (
                RecordKind.INSURANCE_TERMINATION,
                world.entity.pk,
                None,
                RecordOrigin.EVENT,
                "counterfeit",
            ),
            (RecordKind.PRACTICE_BAN, None, world.person.pk, RecordOrigin.EVENT, "counterfeit"),
        ]
    )
    ban = CreditRecord.objects.get(kind=RecordKind.PRACTICE_BAN)
    assert ban.expires_on == dt.date(2036, 9, 1)
    # Delivered again (a replay): nothing more.
    services.record_decision(event)
    assert CreditRecord.objects.count() == 3


def test_licence_issue_is_restricted_for_a_listed_entity_ui(world: Any, client: Any) -> None:
    CreditRecord.objects.create(
        entity=world.entity,
        region_id="540102",
        kind=RecordKind.SERIOUS_DISHONESTY,
        origin=RecordOrigin.LISTING,
        source_department=world.department,
        legal_basis="《市场监督管理严重违法失信名单管理办法》第15条",
        occurred_on=dt.date(2026, 1, 5),
        expires_on=dt.date(2029, 1, 5),
    )
    url = reverse("registry:licence_create", args=[world.entity.public_id])
    data = {
        "kind": LicenceKind.DRUG_DISTRIBUTION,
        "number": make_drug_distribution_licence_number("54", "DA", "8910", 77),
        "valid_from": "2026-09-01",
    }
    client.force_login(world.steward)
    response = client.post(url, data)
    assert response.status_code == 422
    text = response.content.decode()
    assert "第15条" in text
    assert "2029-01-05" in text
    # The licence officer cannot override, even with a reason.
    response = client.post(url, {**data, "override_reason": "急需"})
    assert response.status_code == 422
    assert not Licence.objects.exists()
    # The head records the override with a reason; the officer's next decision uses it.
    client.force_login(world.head)
    response = client.post(
        reverse("credit:override_create"),
        {
            "credit_code": world.entity.unified_social_credit_code,
            "action": "licence.issue",
            "reason": "短缺药品保供，经集体研究。",
        },
    )
    assert response.status_code == 302
    client.force_login(world.steward)
    response = client.post(url, data)
    assert response.status_code == 302
    assert Licence.objects.count() == 1
    override = Override.objects.get()
    assert (override.action, override.overridden_by, override.entity, override.used_by) == (
        "licence.issue",
        world.head,
        world.entity,
        world.steward,
    )
    assert AuditEvent.objects.filter(action="credit.restriction_overridden").count() == 1
    assert AuditEvent.objects.filter(action="registry.restriction_overridden").count() == 1


def test_banned_person_appointed_at_another_company_in_another_county(
    world: Any, client: Any
) -> None:
    services.create_record(
        actor=world.officer,
        person=world.person,
        kind=RecordKind.PRACTICE_BAN,
        legal_basis="《药品管理法》第一百一十八条",
        occurred_on=dt.date(2026, 9, 1),
        summary="终身禁止从事药品生产经营活动",
    )
    url = reverse("registry:entity_person_add", args=[world.other_entity.public_id])
    client.force_login(world.other_steward)
    response = client.post(
        url,
        {
            "name": world.person.name,
            "id_number": world.person.id_number,
            "role": "legal_representative",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "第一百一十八条" in text
    assert text.count(world.person.id_number) == 1  # only in the field the officer typed in
    assert not EntityPerson.objects.filter(entity=world.other_entity).exists()
    # A role that is not an appointment decision is not checked.
    response = client.post(url, {"name": "李四", "id_number": "", "role": "quality_manager"})
    assert response.status_code == 302


def test_legal_representative_of_a_listed_entity_is_restricted(world: Any) -> None:
    from yaojian.credit.models import Listing
    from yaojian.registry.decisions import DecisionSubject

    penalty = CreditRecord.objects.create(
        entity=world.entity,
        region_id="540102",
        kind=RecordKind.HEAVY_PENALTY,
        origin=RecordOrigin.UI,
        source_department=world.department,
        legal_basis="x",
        occurred_on=dt.date(2026, 9, 1),
    )
    Listing.objects.create(
        entity=world.entity,
        department=world.department,
        penalty_record=penalty,
        reasons="x",
        decided_on=dt.date(2026, 9, 1),
        state="published",
        listed_until=dt.date(2029, 9, 1),
    )
    found = services.check_restrictions(
        DecisionSubject(id_number=world.person.id_number), "person.appoint"
    )
    assert [r.until for r in found] == ["2029-09-01"]
    assert world.entity.name in found[0].measure


def test_restriction_api_get_for_an_entity_and_post_for_a_person(
    world: Any, api_client_for: Any
) -> None:
    services.create_record(
        actor=world.officer,
        person=world.person,
        kind=RecordKind.PRACTICE_BAN,
        legal_basis="《药品管理法》第一百一十八条",
        occurred_on=dt.date(2026, 9, 1),
        expires_on=dt.date(2036, 9, 1),
    )
    api = api_client_for(world.insurance)
    url = "/api/v1/credit/restrictions/"
    response = api.get(
        url, {"subject": world.entity.unified_social_credit_code, "action": "licence.issue"}
    )
    assert response.status_code == 200
    assert response.json() == {"restricted": False, "reasons": []}
    response = api.post(
        url, {"id_number": world.person.id_number, "action": "person.appoint"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "restricted": True,
        "reasons": [
            {
                "measure": response.json()["reasons"][0]["measure"],
                "legal_basis": "《药品管理法》第一百一十八条",
                "source_department": world.department.name,
                "until": "2036-09-01",
            }
        ],
    }
    # An identity card number never goes into a URL.
    response = api.get(url, {"id_number": world.person.id_number, "action": "person.appoint"})
    assert response.status_code == 400
    assert world.person.id_number not in response.content.decode()
    assert api_client_for(None).get(
        url, {"subject": "x", "action": "licence.issue"}
    ).status_code in (401, 403)


def test_dishonesty_list_api(world: Any, api_client_for: Any) -> None:
    response = api_client_for(world.officer).get("/api/v1/credit/dishonesty-list/")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_record_for_an_unknown_entity_names_the_identifier(world: Any, api_client_for: Any) -> None:
    response = api_client_for(world.officer).post(
        "/api/v1/credit/records/",
        {
            "subject": "91540102MA0000000X",
            "kind": "penalty",
            "legal_basis": "x",
            "occurred_on": "2026-09-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "91540102MA0000000X" in response.content.decode()
    assert not CreditRecord.objects.exists()

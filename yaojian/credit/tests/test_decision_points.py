"""处处受限 at the decision points added to the hook: insurance designation, licence-holder
change, honours and 告知承诺制 — each allowed when clear, refused with the reasons when
restricted, overridable by a head only, audited and scoped (UI and API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.credit.choices import RecordKind, RecordOrigin
from yaojian.credit.models import CheckedDecision, CreditRecord
from yaojian.registry.choices import LicenceKind
from yaojian.registry.identifiers import make_drug_distribution_licence_number
from yaojian.registry.models import Licence
from yaojian.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def fact(world: Any, entity: Any, kind: str, basis: str = "第15条") -> CreditRecord:
    return CreditRecord.objects.create(
        entity=entity,
        region_id=entity.region_id,
        kind=kind,
        origin=RecordOrigin.UI,
        source_department=world.department,
        legal_basis=basis,
        occurred_on=dt.date(2026, 1, 5),
        expires_on=dt.date(2029, 1, 5),
    )


# --- medical-insurance designation (定点协议) --------------------------------------------------


def test_insurance_designation_is_checked_as_its_own_decision(
    world: Any, client: Any, user_in_department: Any
) -> None:
    """An agreement terminated by the insurance bureau restricts a new designation, not a
    drug-distribution licence (the rule set's ``insurance_termination`` lists only
    ``insurance.designate``)."""
    fact(world, world.entity, RecordKind.INSURANCE_TERMINATION, "《医疗保障基金使用监督管理条例》")
    bureau_steward = user_in_department(
        role=Role.DATA_STEWARD, department=world.insurance_department
    )
    url = reverse("registry:licence_create", args=[world.entity.public_id])
    designation = {
        "kind": LicenceKind.INSURANCE_AGREEMENT,
        "number": "YB5401020001",
        "valid_from": "2026-09-01",
    }
    client.force_login(bureau_steward)
    response = client.post(url, designation)
    assert response.status_code == 422
    text = response.content.decode()
    assert "《医疗保障基金使用监督管理条例》" in text
    assert "2029-01-05" in text
    assert not Licence.objects.filter(kind=LicenceKind.INSURANCE_AGREEMENT).exists()
    # The drug regulator's licence decision is not restricted by this record.
    client.force_login(world.steward)
    response = client.post(
        url,
        {
            "kind": LicenceKind.DRUG_DISTRIBUTION,
            "number": make_drug_distribution_licence_number("54", "DA", "8910", 78),
            "valid_from": "2026-09-01",
        },
    )
    assert response.status_code == 302
    # A clear entity is designated.
    client.force_login(bureau_steward)
    other = EntityFactory(region_id="540102", registered_by=world.department)
    response = client.post(reverse("registry:licence_create", args=[other.public_id]), designation)
    assert response.status_code == 302
    assert list(
        Licence.objects.filter(kind=LicenceKind.INSURANCE_AGREEMENT).values_list(
            "entity_id", "issued_by_id"
        )
    ) == [(other.pk, world.insurance_department.pk)]


# --- licence-holder change ----------------------------------------------------------------------


@pytest.fixture
def licence(world: Any) -> Licence:
    from yaojian.registry.services import add_licence

    return add_licence(
        actor=world.steward,
        entity=world.entity,
        kind=LicenceKind.DRUG_DISTRIBUTION,
        number=make_drug_distribution_licence_number("54", "DA", "8910", 79),
        valid_from="2026-09-01",
    )


def test_holder_change_to_a_listed_entity_is_refused_then_allowed_to_a_clear_one(
    world: Any, client: Any, licence: Licence
) -> None:
    listed = EntityFactory(region_id="540102", registered_by=world.department, name="失信药房")
    clear = EntityFactory(region_id="540102", registered_by=world.department, name="守信药房")
    fact(world, listed, RecordKind.SERIOUS_DISHONESTY)
    url = reverse("registry:licence_holder_change", args=[licence.public_id])
    client.force_login(world.steward)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"credit_code": listed.unified_social_credit_code, "reason": "企业合并"}
    )
    assert response.status_code == 422
    assert "第15条" in response.content.decode()
    licence.refresh_from_db()
    assert licence.entity_id == world.entity.pk
    # An entity outside the officer's jurisdiction cannot be named (scoping).
    response = client.post(
        url, {"credit_code": world.other_entity.unified_social_credit_code, "reason": "x"}
    )
    assert response.status_code == 422
    assert world.other_entity.unified_social_credit_code in response.content.decode()
    response = client.post(url, {"credit_code": clear.unified_social_credit_code, "reason": "合并"})
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.entity_id == clear.pk
    event = AuditEvent.objects.get(action="registry.licence_holder_changed")
    assert event.changes == {"entity": [str(world.entity.public_id), str(clear.public_id)]}
    assert event.reason == "合并"


def test_a_listed_holder_cannot_hand_its_licence_on_without_a_heads_override(
    world: Any, api_client_for: Any, licence: Licence, user_in_department: Any
) -> None:
    fact(world, world.entity, RecordKind.SERIOUS_DISHONESTY)
    clear = EntityFactory(region_id="540102", registered_by=world.department)
    url = f"/api/v1/licences/{licence.public_id}/holder-change/"
    body = {"credit_code": clear.unified_social_credit_code, "reason": "转让"}
    response = api_client_for(world.steward).post(url, body, format="json")
    assert response.status_code == 400
    assert "第15条" in response.content.decode()
    # Even with a reason, a steward holds no override permission.
    response = api_client_for(world.steward).post(
        url, {**body, "override_reason": "急需"}, format="json"
    )
    assert response.status_code == 400
    licence.refresh_from_db()
    assert licence.entity_id == world.entity.pk
    # A head of the issuing department who may also change licences overrides with a reason.
    boss = user_in_department(role=Role.DEPARTMENT_HEAD, department=world.department)
    boss.memberships.create(department=world.department, role=Role.DATA_STEWARD)
    response = api_client_for(boss).post(
        url, {**body, "override_reason": "破产重整，经集体研究"}, format="json"
    )
    assert response.status_code == 200, response.content
    licence.refresh_from_db()
    assert licence.entity_id == clear.pk
    assert AuditEvent.objects.filter(action="credit.restriction_overridden").count() == 1
    assert AuditEvent.objects.filter(action="registry.restriction_overridden").count() == 1


# --- honours and 告知承诺制 ----------------------------------------------------------------------


def test_honour_for_a_listed_entity_is_refused_in_the_ui_and_a_head_overrides(
    world: Any, client: Any
) -> None:
    fact(world, world.entity, RecordKind.SERIOUS_DISHONESTY)
    url = reverse("credit:decision_create")
    data = {
        "action": "honour",
        "credit_code": world.entity.unified_social_credit_code,
        "title": "2026年度诚信经营示范药店",
        "decided_on": "2026-09-20",
    }
    client.force_login(world.officer)
    assert client.get(url).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 422
    text = response.content.decode()
    assert "第15条" in text
    assert "2029-01-05" in text
    response = client.post(url, {**data, "override_reason": "表彰抗疫保供"})
    assert response.status_code == 422
    assert not CheckedDecision.objects.exists()
    assert not AuditEvent.objects.filter(action="credit.decision_recorded").exists()
    client.force_login(world.head)
    response = client.post(url, {**data, "override_reason": "表彰抗疫保供，经集体研究"})
    assert response.status_code == 302
    decision = CheckedDecision.objects.get()
    assert (decision.action, decision.entity, decision.department, decision.decided_on) == (
        "honour",
        world.entity,
        world.department,
        dt.date(2026, 9, 20),
    )
    assert [r["legal_basis"] for r in decision.restrictions_overridden] == ["第15条"]
    assert AuditEvent.objects.filter(action="credit.decision_recorded").count() == 1
    assert AuditEvent.objects.filter(action="credit.restriction_overridden").count() == 1
    page = client.get(reverse("credit:decision_list")).content.decode()
    assert "2026年度诚信经营示范药店" in page


def test_commitment_procedure_through_the_api_allowed_restricted_and_scoped(
    world: Any, api_client_for: Any
) -> None:
    url = "/api/v1/credit/decisions/"
    body = {
        "action": "commitment",
        "credit_code": world.entity.unified_social_credit_code,
        "title": "药品经营许可证换发（告知承诺）",
    }
    response = api_client_for(world.officer).post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "药品经营许可证换发（告知承诺）"
    # A breached commitment restricts the commitment procedure but not an honour.
    fact(world, world.entity, RecordKind.COMMITMENT_BREACH, "承诺不实")
    response = api_client_for(world.officer).post(url, body, format="json")
    assert response.status_code == 400
    assert "承诺不实" in str(response.json()["errors"]["override_reason"])
    response = api_client_for(world.officer).post(
        url, {**body, "action": "honour", "title": "优秀"}, format="json"
    )
    assert response.status_code == 201
    assert CheckedDecision.objects.count() == 2
    # Another county's officer neither sees nor reaches this entity.
    other = api_client_for(world.other_officer)
    assert other.get(url).json()["count"] == 0
    response = other.post(url, body, format="json")
    assert response.status_code == 400
    assert world.entity.unified_social_credit_code in response.content.decode()
    assert api_client_for(world.officer).get(url).json()["count"] == 2
    # Roles without the permission (an auditor) cannot record.
    assert CheckedDecision.objects.count() == 2


def test_the_override_box_fits_a_phone(world: Any, client: Any) -> None:
    """The reason boxes shrink with their card (``form-control``): at 390 px the override box
    of the decision page overflowed with the browser's default 40 columns."""
    client.force_login(world.head)
    text = client.get(reverse("credit:decision_create")).content.decode()
    assert '<textarea name="override_reason" cols="40" rows="2" class="form-control"' in text

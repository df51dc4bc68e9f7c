"""Handlers delivered again (a replay, a second publish of the same occurrence) write nothing
twice: the licence-revocation notices are the example the drill also uses."""

from __future__ import annotations

import uuid

import pytest

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.enforcement.events import LicenceRevoked
from yaojian.enforcement.handlers import on_licence_revoked
from yaojian.notices.models import Notice
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory

pytestmark = pytest.mark.django_db


def test_licence_revoked_notices_are_sent_once_per_department(regions):
    regulator = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.DRUG_REGULATOR, level=DepartmentLevel.COUNTY
    )
    health = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.HEALTH_COMMISSION, level=DepartmentLevel.COUNTY
    )
    insurance = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.MEDICAL_INSURANCE, level=DepartmentLevel.COUNTY
    )
    licence = LicenceFactory(entity=EntityFactory(registered_by=regulator), issued_by=regulator)
    event = LicenceRevoked(
        case_id=0,
        case_public_id=uuid.uuid4(),
        licence_id=licence.pk,
        entity_id=licence.entity_id,
        department_id=regulator.pk,
        region_code="540102",
    )
    on_licence_revoked(event)
    on_licence_revoked(event)
    assert sorted(
        Notice.objects.filter(source_ref=f"licence.revoked:{licence.public_id}").values_list(
            "recipient_id", flat=True
        )
    ) == sorted([health.pk, insurance.pk])

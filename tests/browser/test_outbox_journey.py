"""The event outbox in a real browser: an administrator finds a dead hand-off (a licence
revocation that never reached the health commission and the insurance bureau), replays it,
and the notices arrive."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import TEST_PASSWORD, DepartmentFactory
from yaojian.audit.models import AuditEvent
from yaojian.enforcement.events import LicenceRevoked
from yaojian.notices.models import Notice
from yaojian.outbox import codec
from yaojian.outbox.choices import MessageStatus
from yaojian.outbox.tests.factories import MessageFactory
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_replays_a_dead_hand_off_and_the_notices_arrive(page, sign_in, user_in_department):
    # given: the county regulator's administrator and a revocation hand-off given up on
    regulator = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.DRUG_REGULATOR, level=DepartmentLevel.COUNTY
    )
    health = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.HEALTH_COMMISSION, level=DepartmentLevel.COUNTY
    )
    insurance = DepartmentFactory(
        region_id="540102", kind=DepartmentKind.MEDICAL_INSURANCE, level=DepartmentLevel.COUNTY
    )
    admin = user_in_department(role=Role.ADMINISTRATOR, department=regulator)
    licence = LicenceFactory(entity=EntityFactory(registered_by=regulator), issued_by=regulator)
    event = LicenceRevoked(
        case_id=0,
        case_public_id=uuid.uuid4(),
        licence_id=licence.pk,
        entity_id=licence.entity_id,
        department_id=regulator.pk,
        region_code="540102",
    )
    handoff = MessageFactory(
        department=regulator,
        event_type="yaojian.enforcement.events.LicenceRevoked",
        handler="yaojian.enforcement.handlers.on_licence_revoked",
        payload=codec.encode(event),
        last_error="OperationalError: database is locked",
    )
    sign_in(admin.username, TEST_PASSWORD)
    # when: the administrator opens the dead hand-offs and replays this one
    page.goto(reverse("outbox:message_list") + "?status=dead")
    expect(page.get_by_test_id("count-dead")).to_have_text("1")
    page.get_by_test_id("handoff-row").locator("a").click()
    expect(page.get_by_test_id("handoff-error")).to_contain_text("database is locked")
    page.get_by_test_id("handoff-replay").click()
    # then: delivered at once (the test task backend runs it), the notices are in both inboxes
    expect(page.get_by_test_id("handoff-status")).to_have_text("已送达")
    handoff.refresh_from_db()
    assert (handoff.status, handoff.attempts) == (MessageStatus.DELIVERED, 1)
    assert sorted(
        Notice.objects.filter(source_ref=f"licence.revoked:{licence.public_id}").values_list(
            "recipient_id", flat=True
        )
    ) == sorted([health.pk, insurance.pk])
    assert AuditEvent.objects.filter(action="outbox.message_replayed", actor=admin).count() == 1
